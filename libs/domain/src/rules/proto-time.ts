import { MlflowError } from '../errors';

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;
const DURATION = /^(\d{1,12})(?:\.(\d{1,9}))?s$/;

function fractionMs(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0;
}

/**
 * A `google.protobuf.Timestamp` in its JSON form (RFC 3339, e.g. `2025-01-31T12:00:00.123Z`) as
 * epoch milliseconds; finer digits are dropped. INVALID_PARAMETER_VALUE when it is not one.
 */
export function parseProtoTimestamp(value: string, field: string): number {
  const match = TIMESTAMP.exec(value);
  const base = match ? Date.parse(`${match[1]}${match[3].toUpperCase()}`) : NaN;
  if (!match || Number.isNaN(base)) {
    throw MlflowError.invalidParameterValue(
      `Invalid value '${value}' for parameter '${field}' supplied: expected an RFC 3339 timestamp such as '2025-01-31T12:00:00.123Z'.`,
    );
  }
  return base + fractionMs(match[2]);
}

/** Epoch milliseconds as protobuf's JSON Timestamp: UTC, `Z`, fractional digits only when needed. */
export function formatProtoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A `google.protobuf.Duration` in its JSON form (`1.500s`) as milliseconds (non-negative). */
export function parseProtoDuration(value: string, field: string): number {
  const match = DURATION.exec(value);
  if (!match) {
    throw MlflowError.invalidParameterValue(
      `Invalid value '${value}' for parameter '${field}' supplied: expected a duration such as '1.5s'.`,
    );
  }
  return Number(match[1]) * 1000 + fractionMs(match[2]);
}

/** Milliseconds as protobuf's JSON Duration: `2s`, `0.250s`. */
export function formatProtoDuration(ms: number): string {
  if (ms < 0) return `-${formatProtoDuration(-ms)}`;
  const seconds = Math.floor(ms / 1000);
  const rest = ms % 1000;
  return rest === 0 ? `${seconds}s` : `${seconds}.${String(rest).padStart(3, '0')}s`;
}
