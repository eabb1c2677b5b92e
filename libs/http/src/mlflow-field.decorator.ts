import { applyDecorators, Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import { ValidateBy, ValidateNested, ValidationArguments } from 'class-validator';

import {
  API_DOCS_HINT,
  invalidParameterTypeError,
  readProtoDouble,
  readProtoInteger,
} from '@app/domain';

export type MlflowFieldType = 'string' | 'int64' | 'int32' | 'double' | 'bool' | 'enum' | 'object';

export interface MlflowFieldOptions {
  type: MlflowFieldType;
  required?: boolean;
  /**
   * Required unless this sibling field is present: MLflow 2.x requires the field, 3.x clients
   * may send the sibling instead (log-inputs' `datasets` and `models`).
   */
  requiredUnless?: string;
  /** The whole message for a missing value, where MLflow words it per handler. */
  missingMessage?: string;
  repeated?: boolean;
  /** Allowed names for `enum` fields (numbers are accepted as 1-based proto values). */
  enum?: readonly string[];
  /** Message class of `object` fields. */
  item?: Class<unknown>;
  /** Other request names of the same field (`run_uuid` for `run_id`). */
  aliases?: string[];
  /** MLflow turns numeric experiment ids into strings (a leftover from 0.9). */
  numberAsString?: boolean;
  /**
   * An int64 kept exactly beyond 2^53 (a bigint then: timestamps, steps). Other int64 fields are
   * counts and sizes, numbers always: a value beyond 2^53 there is an invalid value.
   */
  exact?: boolean;
  /** Bounds for numeric fields; outside them the value is an invalid value. */
  min?: number;
  max?: number;
  description?: string;
  example?: unknown;
}

/** A value the transformer could not coerce: kept raw so the validator can quote it. */
const INVALID = Symbol('invalid');
interface Invalid {
  [INVALID]: true;
  raw: unknown;
}

function invalid(raw: unknown): Invalid {
  return { [INVALID]: true, raw };
}

function isInvalid(value: unknown): value is Invalid {
  return typeof value === 'object' && value !== null && INVALID in value;
}

/**
 * One decorator per request field: Swagger documentation, MLflow's lenient coercions (int64 as
 * string or number, "NaN"/"Infinity" doubles, enum names or numbers, `true`/`false` query bools,
 * repeated GET params) and MLflow's two validation messages (missing required value, invalid value
 * with its Python type), in that order of precedence.
 */
export function MlflowField(options: MlflowFieldOptions): PropertyDecorator {
  const decorators: PropertyDecorator[] = [
    ApiProperty(swaggerOptions(options)),
    // Exposed so the transform also runs for absent keys (aliases such as run_uuid).
    Expose(),
    Transform(({ key, obj }: { key: string; obj: Record<string, unknown> }) => {
      let raw = obj[key];
      for (const alias of options.aliases ?? []) {
        if (raw === undefined || raw === '') raw = obj[alias];
      }
      return coerceField(raw, options);
    }),
    ValidateBy({
      name: 'mlflowField',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          fieldError(value, effectiveOptions(options, args)) === null,
        defaultMessage: (args?: ValidationArguments) =>
          fieldError(args?.value, effectiveOptions(options, args)) ?? 'Invalid value',
      },
    }),
  ];
  if (options.type === 'object' && options.item) {
    decorators.push(ValidateNested({ each: options.repeated }));
  }
  return applyDecorators(...decorators);
}

function effectiveOptions(
  options: MlflowFieldOptions,
  args: ValidationArguments | undefined,
): MlflowFieldOptions {
  if (options.requiredUnless === undefined) return options;
  const sibling = (args?.object as Record<string, unknown> | undefined)?.[options.requiredUnless];
  return { ...options, required: sibling === undefined };
}

function swaggerOptions(options: MlflowFieldOptions): ApiPropertyOptions {
  const base = {
    required: options.required ?? false,
    description: options.description,
    example: options.example,
  };
  const isArray = options.repeated ?? false;
  // What the reader accepts, not only what MLflow writes: int64s as numbers or decimal strings
  // (proto3 JSON), doubles as numbers or MLflow's three non-finite names.
  const accepted = (oneOf: SchemaObject[]): ApiPropertyOptions =>
    isArray ? { ...base, type: 'array', items: { oneOf } } : { ...base, oneOf };
  switch (options.type) {
    case 'string':
      return { ...base, isArray, type: String };
    case 'int64':
      return accepted([
        { type: 'integer', format: 'int64' },
        { type: 'string', pattern: '^-?[0-9]+$' },
      ]);
    case 'int32':
      return { ...base, isArray, type: 'integer', format: 'int32' };
    case 'double':
      return accepted([
        { type: 'number', format: 'double' },
        { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] },
      ]);
    case 'bool':
      return { ...base, isArray, type: Boolean };
    case 'enum':
      return { ...base, isArray, enum: [...(options.enum ?? [])] };
    case 'object':
      return { ...base, isArray, type: options.item };
  }
}

function coerceField(raw: unknown, options: MlflowFieldOptions): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (options.repeated) {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((item) => coerceScalar(item, options));
  }
  // Repeated GET params given to a scalar field: the first value counts.
  const scalar: unknown =
    Array.isArray(raw) && options.type !== 'object' ? (raw as unknown[])[0] : raw;
  return coerceScalar(scalar, options);
}

function coerceScalar(raw: unknown, options: MlflowFieldOptions): unknown {
  switch (options.type) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (options.numberAsString && typeof raw === 'number' && Number.isInteger(raw)) {
        return String(raw);
      }
      return invalid(raw);
    case 'int64':
    case 'int32': {
      const value = readProtoInteger(raw, options.type === 'int32' ? 32 : 64);
      if (value === undefined || (typeof value === 'bigint' && !options.exact)) {
        return invalid(raw);
      }
      if (
        (options.min !== undefined && value < options.min) ||
        (options.max !== undefined && value > options.max)
      ) {
        return invalid(raw);
      }
      return value;
    }
    case 'double': {
      const value = readProtoDouble(raw);
      return value === undefined ? invalid(raw) : value;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) {
        return raw.toLowerCase() === 'true';
      }
      return invalid(raw);
    case 'enum': {
      const names = options.enum ?? [];
      if (typeof raw === 'string' && names.includes(raw)) return raw;
      if (typeof raw === 'string' && /^\d+$/.test(raw) && names[Number(raw) - 1]) {
        return names[Number(raw) - 1];
      }
      if (typeof raw === 'number' && names[raw - 1]) return names[raw - 1];
      return invalid(raw);
    }
    case 'object':
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid(raw);
      // Nested messages become DTO instances here so their own fields are coerced and whitelisted.
      return options.item ? plainToInstance(options.item, raw) : raw;
  }
}

function fieldError(value: unknown, options: MlflowFieldOptions): string | null {
  if (
    options.required &&
    (value === undefined ||
      value === '' ||
      // MLflow's 2.x log-inputs takes `datasets: []`; only an absent list is missing there.
      (options.repeated &&
        options.requiredUnless === undefined &&
        Array.isArray(value) &&
        value.length === 0))
  ) {
    return options.missingMessage ?? MISSING;
  }
  const values = Array.isArray(value) && options.repeated ? value : [value];
  for (const item of values) {
    if (isInvalid(item)) return invalidValueMessage(item.raw);
  }
  return null;
}

const MISSING = '__missing__';

/** MLflow's invalid-value message, with `%s` where class-validator's field path goes. */
function invalidValueMessage(raw: unknown): string {
  return invalidParameterTypeError('%s', raw).message;
}

/** Fills the field name into a message produced by `MlflowField` (class-validator knows the path). */
export function formatFieldMessage(message: string, fieldPath: string): string {
  if (message === MISSING) {
    return `Missing value for required parameter '${fieldPath}'. ${API_DOCS_HINT}`;
  }
  return message.replace('%s', fieldPath);
}
