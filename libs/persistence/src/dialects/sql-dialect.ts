import type { DataSource, DataSourceOptions, QueryRunner, TableColumnOptions } from 'typeorm';

import type { DatabaseMeter } from '@app/domain';

import type { BackendStoreTarget } from '../backend-store-uri';
import type { SqlEngine, SqlValue } from '../sql-types';

export interface DialectDataSourceOptions {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** Pool size where the backend has a pool. */
  poolSize?: number;
}

/** What a driver error means to a store or a retry loop. */
export type DatabaseErrorKind =
  | 'deadlock'
  | 'lock-wait'
  | 'duplicate-key'
  | 'connection-lost'
  /** A bound value the column cannot hold (out of range, too long, wrong type). */
  | 'value-out-of-range'
  | 'other';

/** Column and table options a migration takes from the dialect. */
export interface DialectSchema {
  /** TypeORM column type of an IEEE double. */
  readonly doubleType: string;
  /** TypeORM column type of a 0/1 flag. */
  readonly booleanType: string;
  /** Options of every string column (the binary collation that makes keys case-sensitive). */
  readonly textOptions: Partial<TableColumnOptions>;
  /** Options of every table. */
  readonly tableOptions: { engine?: string };
  /** Called after the migration inserted the Default experiment with id 0. */
  keepExperimentIdZero(queryRunner: QueryRunner): Promise<void>;
}

/**
 * Everything that differs between backends, in one object per backend: stores say what they
 * want (an insert that skips existing keys, a row lock, an upsert) and the dialect says it in its
 * SQL. No store branches on the backend. A new backend is one file implementing this, an entry
 * in `dialects/index.ts`, and its schema snapshot.
 */
export interface SqlDialect {
  /** Name in logs and snapshot file names. */
  readonly name: string;
  /** The backend-store URI kind this dialect serves. */
  readonly uriKind: BackendStoreTarget['kind'];
  /** The TypeORM driver type of DataSources this dialect opens. */
  readonly typeormType: string;
  /** Builds (but does not open) a DataSource for the target, with the entities and migrations. */
  createDataSource(target: BackendStoreTarget, options: DialectDataSourceOptions): DataSource;
  /** `INSERT … INTO` that silently skips rows whose key already exists. */
  readonly insertIgnore: string;
  /** Suffix of an INSERT that overwrites `updateColumns` of the row with the same key. */
  upsert(keyColumns: readonly string[], updateColumns: readonly string[]): string;
  /**
   * Suffix of an INSERT into `table` that overwrites `columns` of the row with the same key only
   * when `isLater(newColumn, oldColumn)` holds; every assignment decides on the old row.
   */
  conditionalUpsert(
    table: string,
    keyColumns: readonly string[],
    columns: readonly string[],
    isLater: (next: (column: string) => string, old: (column: string) => string) => string,
  ): string;
  /** Suffix of a SELECT that locks the rows read for the rest of the transaction. */
  readonly forUpdate: string;
  /** Suffix of a SELECT that share-locks the rows read for the rest of the transaction. */
  readonly forShare: string;
  /** Integer division of two integer expressions. */
  integerDivide(dividend: string, divisor: string): string;
  /**
   * `(first, second) >= (?, ?)` written so the planner seeks on the index, with its values in
   * text order.
   */
  rowAtLeast(
    first: string,
    second: string,
    firstValue: SqlValue,
    secondValue: SqlValue,
  ): { sql: string; params: SqlValue[] };
  /** The LIMIT of an OFFSET without a limit. */
  readonly unboundedLimit: string;
  /**
   * Bytes a TEXT column holds when the backend would otherwise fail or truncate a longer value
   * (null: no such limit).
   */
  readonly textColumnBytes: number | null;
  /**
   * Whether a service migrates at boot unless told otherwise: yes for an embedded file that
   * belongs to this process, no for a shared server that an operator migrates on purpose.
   */
  readonly migratesOnStartByDefault: boolean;
  classifyError(error: unknown): DatabaseErrorKind;
  readonly schema: DialectSchema;
  /** How this backend runs statements on an initialised DataSource, timed by `meter` when bound. */
  createEngine(dataSource: DataSource, meter?: DatabaseMeter): SqlEngine;
}

/** The driver's error code and number, wherever TypeORM put them. */
export function driverErrorOf(error: unknown): { code: string; errno?: number } {
  const e = error as {
    code?: string;
    errno?: number;
    driverError?: { code?: string; errno?: number };
  };
  return {
    code: e.driverError?.code ?? e.code ?? '',
    errno: e.driverError?.errno ?? e.errno,
  };
}
