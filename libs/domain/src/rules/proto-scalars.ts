import type { Int64 } from '../entities';
import { INT64_MAX, INT64_MIN } from './limits';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The integer a JSON value stands for in one of MLflow's proto integer fields: a number, or a
 * decimal string (proto3 JSON writes int64 as strings). Undefined when it is no integer or lies
 * outside the field's range, which the proto parser refuses too; checked exactly, so a value one
 * past int64's bounds never reaches a BIGINT column.
 */
export function readProtoInteger(raw: unknown, bits: 32): number | undefined;
export function readProtoInteger(raw: unknown, bits: 64): Int64 | undefined;
export function readProtoInteger(raw: unknown, bits: 32 | 64): Int64 | undefined;
export function readProtoInteger(raw: unknown, bits: 32 | 64): Int64 | undefined {
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
      return exact < INT64_MIN || exact > INT64_MAX ? undefined : exact;
    }
  } else {
    return undefined;
  }
  if (bits === 32) return value < INT32_MIN || value > INT32_MAX ? undefined : value;
  if (Number.isSafeInteger(value)) return value;
  // A JSON number beyond 2^53 was rounded when the body was parsed; its digits are gone.
  const exact = BigInt(value);
  return exact < INT64_MIN || exact > INT64_MAX ? undefined : exact;
}

/**
 * An int64 in its one canonical form (a number while safe, else a bigint), from a driver value:
 * a number, a bigint, or the decimal string mysql2 gives for BIGINTs beyond 2^53. Equal values
 * then always compare equal with `===`.
 */
export function toInt64(value: unknown): Int64 {
  if (typeof value === 'number') return value;
  const exact = typeof value === 'bigint' ? value : BigInt(String(value));
  const asNumber = Number(exact);
  return Number.isSafeInteger(asNumber) ? asNumber : exact;
}

/** Negative, zero or positive as `a` is less than, equal to or greater than `b`. */
export function compareInt64(a: Int64, b: Int64): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The double a JSON value stands for in one of MLflow's proto double fields: a number, a numeric
 * string, or one of the three names proto3 JSON gives non-finite values. Undefined otherwise.
 */
export function readProtoDouble(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (raw === 'NaN') return NaN;
  if (raw === 'Infinity') return Infinity;
  if (raw === '-Infinity') return -Infinity;
  if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  return undefined;
}
