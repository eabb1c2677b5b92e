import {
  encodePageToken,
  INT64_MAX,
  INT64_MIN,
  MetricHistoryCursor,
  MetricHistoryStart,
  MlflowError,
  pageTokenOffset,
  readPageToken,
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
  if (token === undefined || token === null || token === '') return { offset: 0 };
  const content = readPageToken(token);
  const { parsed } = content;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !('timestamp' in parsed)
  ) {
    return { offset: pageTokenOffset(content) };
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
    throw MlflowError.invalidParameterValue(`Invalid page token, parsed value=${content.decoded}`);
  }
  const after: MetricHistoryCursor = { timestamp, step, skip };
  return { after };
}

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
