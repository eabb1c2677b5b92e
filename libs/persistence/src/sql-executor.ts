import { DataSource } from 'typeorm';

import { DatabaseMeter, MlflowError, PoolUsage } from '@app/domain';

import { DatabaseErrorKind, dialectOf, SqlDialect } from './dialects';
import type { ExecuteResult, Row, SqlEngine, SqlRunner, SqlStatement, SqlValue } from './sql-types';

export type { SqlDialect } from './dialects';
export type { ExecuteResult, Row, SqlRunner, SqlStatement, SqlValue } from './sql-types';

/** Driver error kinds that say nothing about the request: the same call may succeed later. */
const TRANSIENT_KINDS: ReadonlySet<DatabaseErrorKind> = new Set([
  'deadlock',
  'lock-wait',
  'connection-lost',
]);

/**
 * Runs the stores' SQL on the TypeORM DataSource through its dialect's engine: plain
 * parameterised statements, transactions (retried as a whole on deadlock where the backend has
 * them), and short batches in one round trip.
 */
export class SqlExecutor implements SqlRunner {
  readonly dialect: SqlDialect;
  private readonly engine: SqlEngine;

  constructor(
    readonly dataSource: DataSource,
    meter?: DatabaseMeter,
  ) {
    this.dialect = dialectOf(dataSource);
    this.engine = this.dialect.createEngine(dataSource, meter);
  }

  /** The engine's connections now. */
  poolUsage(): PoolUsage {
    return this.engine.poolUsage();
  }

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.engine.select<T>(sql, params).catch(this.toStoreError);
  }

  execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecuteResult> {
    return this.engine.execute(sql, params).catch(this.toStoreError);
  }

  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.engine.transaction(work).catch(this.toStoreError);
  }

  /**
   * Runs INSERT/UPDATE/DELETE statements as one transaction (in one round trip where the backend
   * allows it) and resolves to each statement's affected rows. A failed statement stops the rest
   * and nothing of the batch is written.
   */
  executeBatch(statements: readonly SqlStatement[]): Promise<number[]> {
    return this.engine.executeBatch(statements).catch(this.toStoreError);
  }

  /**
   * A database that went away or stayed locked (after the engine's own retries) is the domain's
   * TEMPORARILY_UNAVAILABLE, answered 503 with Retry-After; a value its column cannot hold is
   * INVALID_PARAMETER_VALUE; every other error is the caller's.
   */
  private readonly toStoreError = (error: unknown): never => {
    const kind = this.dialect.classifyError(error);
    if (kind === 'value-out-of-range') {
      // The last line of defence: the services check every field against its column first, and
      // a value that still does not fit is the request's fault, not something a retry can fix.
      throw MlflowError.invalidParameterValue('A value of the request does not fit its field.');
    }
    if (TRANSIENT_KINDS.has(kind)) {
      throw MlflowError.temporarilyUnavailable(
        'The backend store is temporarily unavailable. Retry later.',
        5,
        error,
      );
    }
    throw error;
  };
}
