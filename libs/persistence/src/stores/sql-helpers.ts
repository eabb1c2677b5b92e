import { SqlDialect, SqlValue } from '../sql-executor';

/** `?, ?, ?` for n values. */
export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** `(?, ?), (?, ?)` for a multi-row VALUES clause. */
export function rowPlaceholders(rows: number, columns: number): string {
  const row = `(${placeholders(columns)})`;
  return new Array<string>(rows).fill(row).join(', ');
}

/** INSERT that silently skips rows whose key already exists. */
export function insertIgnore(dialect: SqlDialect): string {
  return dialect === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
}

/** `ON DUPLICATE KEY UPDATE c = VALUES(c)` / `ON CONFLICT (key) DO UPDATE SET c = excluded.c`. */
export function upsertSuffix(
  dialect: SqlDialect,
  keyColumns: string[],
  updateColumns: string[],
): string {
  if (dialect === 'mysql') {
    return `ON DUPLICATE KEY UPDATE ${updateColumns.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ')}`;
  }
  return `ON CONFLICT (${keyColumns.map(q).join(', ')}) DO UPDATE SET ${updateColumns
    .map((c) => `${q(c)} = excluded.${q(c)}`)
    .join(', ')}`;
}

/** Quotes an identifier that is a reserved word on one of the dialects (`key`, `value`, `timestamp`). */
export function q(identifier: string): string {
  return `\`${identifier}\``;
}

/** Numbers out of a driver row (mysql2 may hand BIGINT back as a string). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
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

export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as {
    code?: string;
    errno?: number;
    driverError?: { code?: string; errno?: number };
  };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}

export type Params = SqlValue[];
