import {
  decodePageToken,
  encodePageToken,
  MAX_PAGE_TOKEN_LENGTH,
  MetricHistoryCursor,
  MetricHistoryStart,
  MlflowError,
} from '@app/domain';

/**
 * get-history page tokens: base64 of the JSON `{"timestamp": T, "step": S, "skip": N}` (a keyset
 * cursor; int64s beyond 2^53 as decimal strings). MLflow's offset tokens (`{"offset": N}`) are
 * still accepted, and anything else is refused with the shared token errors.
 */
export function encodeHistoryPageToken(start: MetricHistoryStart): string {
  if ('offset' in start) return encodePageToken(start.offset);
  const { timestamp, step, skip } = start.after;
  const json = `{"timestamp": ${int64Json(timestamp)}, "step": ${int64Json(step)}, "skip": ${skip}}`;
  return Buffer.from(json, 'utf8').toString('base64');
}

export function decodeHistoryPageToken(token: string | undefined): MetricHistoryStart {
  const parsed = typeof token === 'string' ? parseToken(token) : undefined;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !('timestamp' in parsed)
  ) {
    return { offset: decodePageToken(token) };
  }
  const fields = parsed as Record<string, unknown>;
  const timestamp = int64(fields.timestamp);
  const step = int64(fields.step);
  const skip = fields.skip;
  if (
    timestamp === undefined ||
    step === undefined ||
    typeof skip !== 'number' ||
    !Number.isSafeInteger(skip) ||
    skip < 0 ||
    Object.keys(fields).length !== 3
  ) {
    throw MlflowError.invalidParameterValue(
      `Invalid page token, parsed value=${Buffer.from(token!, 'base64').toString('utf8')}`,
    );
  }
  const after: MetricHistoryCursor = { timestamp, step, skip };
  return { after };
}

/** The token's JSON, or undefined when it is not base64 JSON (decodePageToken then says why). */
function parseToken(token: string): unknown {
  if (token.length === 0 || token.length > MAX_PAGE_TOKEN_LENGTH) return undefined;
  const bytes = Buffer.from(token, 'base64');
  // Node skips characters that are not base64: only a canonical encoding is a keyset token.
  if (bytes.toString('base64') !== token) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function int64(value: unknown): number | bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value)) return undefined;
  const big = BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) return undefined;
  // One representation per value, so cursors compare with ===.
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

function int64Json(value: number | bigint): string {
  return typeof value === 'bigint' ? `"${value}"` : String(value);
}
