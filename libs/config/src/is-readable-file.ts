import { accessSync, constants } from 'node:fs';

import { ValidateBy, ValidationOptions } from 'class-validator';

function readable(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    accessSync(value, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The variable must name a file this process can read (checked at boot, not at first use). */
export function IsReadableFile(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isReadableFile',
      validator: { validate: readable, defaultMessage: () => 'must name a readable file' },
    },
    options,
  );
}
