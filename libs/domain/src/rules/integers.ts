import { INT64_MAX, INT64_MIN } from './limits';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The integer a JSON value stands for in one of MLflow's proto integer fields: a number, or a
 * decimal string (proto3 JSON writes int64 as strings). Undefined when it is no integer or lies
 * outside the field's range, which the proto parser refuses too; checked exactly, so a value one
 * past int64's bounds never reaches a BIGINT column.
 */
export function readProtoInteger(raw: unknown, bits: 32 | 64): number | undefined {
  let value: number;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return undefined;
    value = raw;
  } else if (typeof raw === 'string') {
    const text = raw.trim();
    if (!/^-?\d+$/.test(text)) return undefined;
    value = Number(text);
    if (bits === 64 && !Number.isSafeInteger(value)) {
      const exact = BigInt(text);
      return exact < INT64_MIN || exact > INT64_MAX ? undefined : value;
    }
  } else {
    return undefined;
  }
  if (bits === 32) return value < INT32_MIN || value > INT32_MAX ? undefined : value;
  if (Number.isSafeInteger(value)) return value;
  const exact = BigInt(value);
  return exact < INT64_MIN || exact > INT64_MAX ? undefined : value;
}
