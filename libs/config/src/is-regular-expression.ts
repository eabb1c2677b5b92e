import { ValidateBy, ValidationOptions } from 'class-validator';

function compiles(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

/** The variable must compile as a JavaScript regular expression. */
export function IsRegularExpression(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegularExpression',
      validator: { validate: compiles, defaultMessage: () => 'must be a valid regular expression' },
    },
    options,
  );
}
