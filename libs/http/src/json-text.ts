import { randomBytes } from 'node:crypto';

/**
 * Stands in for a bigint while JSON.stringify runs, then is replaced by the digits. The random
 * part keeps a client's own string from ever being taken for one.
 */
const INT64_MARK = `\u0000int64-${randomBytes(8).toString('hex')}:`;
const MARKED_INT64 = new RegExp(
  `"${JSON.stringify(INT64_MARK)
    .slice(1, -1)
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(-?\\d+)"`,
  'g',
);

/**
 * JSON text of a response body, with int64s beyond 2^53 (bigints) written as exact JSON numbers,
 * as MLflow writes them. Bodies without a bigint (all but a few) take JSON.stringify's own path;
 * JSON.stringify refuses a bigint, and only then is the body written again with the marks.
 */
export function toJsonText(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const marked = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? `${INT64_MARK}${value}` : value,
  );
  return marked.replace(MARKED_INT64, '$1');
}
