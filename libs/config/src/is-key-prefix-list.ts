import { ValidateBy, ValidationOptions } from 'class-validator';

import { hasOnlyKeyCharacters } from '@app/domain';

/** A comma-separated list of key prefixes; blanks around entries are ignored; empty or `none` is no prefix. */
export function parseKeyPrefixList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  return trimmed.split(',').map((entry) => entry.trim());
}

function problemOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a comma-separated list of key prefixes';
  for (const prefix of parseKeyPrefixList(value)) {
    if (prefix === '') {
      return 'must not hold an empty prefix (use an empty value or none to turn it off)';
    }
    if (!hasOnlyKeyCharacters(prefix)) {
      return `holds '${prefix}', which no key can start with (keys use letters, digits, _ - . : / and spaces)`;
    }
    if (prefix.toLowerCase().startsWith('mlflow.')) {
      return `holds '${prefix}': mlflow.* system tags are never refused`;
    }
  }
  return undefined;
}

/** The variable must be a list of key prefixes (see parseKeyPrefixList). */
export function IsKeyPrefixList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKeyPrefixList',
      validator: {
        validate: (value) => problemOf(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${problemOf(args?.value) ?? ''}`,
      },
    },
    options,
  );
}
