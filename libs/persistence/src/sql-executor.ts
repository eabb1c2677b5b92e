import { DataSource } from 'typeorm';

import { dialectOf, SqlDialect } from './dialects';
import type { ExecuteResult, Row, SqlEngine, SqlRunner, SqlStatement, SqlValue } from './sql-types';

export type { SqlDialect } from './dialects';
export type { ExecuteResult, Row, SqlRunner, SqlStatement, SqlValue } from './sql-types';

/**
 * Runs the stores' SQL on the TypeORM DataSource through its dialect's engine: plain
 * parameterised statements, transactions (retried as a whole on deadlock where the backend has
 * them), and short batches in one round trip.
 */
export class SqlExecutor implements SqlRunner {
  readonly dialect: SqlDialect;
  private readonly engine: SqlEngine;

  constructor(readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
    this.engine = this.dialect.createEngine(dataSource);
  }

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.engine.select<T>(sql, params);
  }

  execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecuteResult> {
    return this.engine.execute(sql, params);
  }

  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.engine.transaction(work);
  }

  /**
   * Runs INSERT/UPDATE/DELETE statements as one transaction (in one round trip where the backend
   * allows it) and resolves to each statement's affected rows. A failed statement stops the rest
   * and nothing of the batch is written.
   */
  executeBatch(statements: readonly SqlStatement[]): Promise<number[]> {
    return this.engine.executeBatch(statements);
  }
}
