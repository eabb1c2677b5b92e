import type { PoolUsage } from '@app/domain';

import type { SqlDialect } from './dialects/sql-dialect';

export type SqlValue = string | number | bigint | boolean | null | Buffer;
export type Row = Record<string, unknown>;

/** One parameterised statement of a batch. */
export interface SqlStatement {
  sql: string;
  params: readonly SqlValue[];
}

export interface ExecuteResult {
  affectedRows: number;
  insertId: number;
}

/** What a store needs from the database: plain parameterised SQL and the dialect that wrote it. */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  /** Rows of a SELECT. */
  select<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** An INSERT/UPDATE/DELETE; resolves to the number of affected rows and the last insert id. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecuteResult>;
}

/** How one backend runs statements: its connection handling, transactions and batches. */
export interface SqlEngine extends SqlRunner {
  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** INSERT/UPDATE/DELETE statements as one transaction; resolves to each one's affected rows. */
  executeBatch(statements: readonly SqlStatement[]): Promise<number[]>;
  /** Its connections now (SQLite: its one connection, whose lock callers queue for). */
  poolUsage(): PoolUsage;
}
