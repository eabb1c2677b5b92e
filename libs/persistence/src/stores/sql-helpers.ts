import type { Row } from '../sql-types';

/** `?, ?, ?` for n values. */
export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** `(?, ?), (?, ?)` for a multi-row VALUES clause. */
export function rowPlaceholders(rows: number, columns: number): string {
  const row = `(${placeholders(columns)})`;
  return new Array<string>(rows).fill(row).join(', ');
}

/**
 * Quotes an identifier that is a reserved word on some backend (`key`, `value`, `timestamp`).
 * Backticks are MySQL's quoting and SQLite accepts them too, so every dialect shares statement
 * text; a backend that does not (PostgreSQL) would switch both to ANSI double quotes (MySQL's
 * `ANSI_QUOTES` session mode), here and in the pool's session setup.
 */
export function q(identifier: string): string {
  return `\`${identifier}\``;
}

/** Numbers out of a driver row (mysql2 may hand BIGINT back as a string). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Text out of a driver row: strings, numbers and Buffers (binary-collated columns on MySQL). */
export function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint'
    ? value.toString()
    : JSON.stringify(value);
}

export function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : str(value);
}

/** Splits rows into chunks so one statement never carries too many placeholders. */
export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Rows grouped by their owner's key, each mapped, in row order. */
export function groupBy<K, T>(
  rows: readonly Row[],
  ownerKey: (row: Row) => K,
  map: (row: Row) => T,
): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = ownerKey(row);
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(map(row));
  }
  return groups;
}
