import { DataSource, QueryRunner } from 'typeorm';

export type SqlDialect = 'mysql' | 'sqlite';
export type SqlValue = string | number | bigint | boolean | null | Buffer;
export type Row = Record<string, unknown>;

/** One parameterised statement of a batch. */
export interface SqlStatement {
  sql: string;
  params: readonly SqlValue[];
}

/** What a store needs from the database: plain parameterised SQL, one dialect flag, transactions. */
export interface SqlRunner {
  readonly dialect: SqlDialect;
  /** Rows of a SELECT. */
  select<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** An INSERT/UPDATE/DELETE; resolves to the number of affected rows and the last insert id. */
  execute(
    sql: string,
    params?: readonly SqlValue[],
  ): Promise<{ affectedRows: number; insertId: number }>;
}

const MYSQL_RETRYABLE = new Set([1213, 1205]); // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT
const MAX_TRANSACTION_ATTEMPTS = 5;

/**
 * Runs SQL on the TypeORM DataSource. On MySQL each transaction takes a pooled connection and is
 * retried on deadlock or lock-wait timeout. better-sqlite3 is one synchronous connection: a
 * transaction awaiting between statements would let other requests' statements slip into it, so
 * every SQLite statement and transaction goes through one async mutex.
 */
export class SqlExecutor implements SqlRunner {
  readonly dialect: SqlDialect;
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private readonly sqliteStatements = new Map<string, SqliteStatement>();

  constructor(readonly dataSource: DataSource) {
    this.dialect = dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.dialect === 'sqlite') {
      return this.exclusive(() => this.sqliteRunner().select<T>(sql, params));
    }
    return this.dataSource.query<T[]>(sql, params as SqlValue[]);
  }

  async execute(sql: string, params: readonly SqlValue[] = []) {
    if (this.dialect === 'sqlite') {
      return this.exclusive(() => this.sqliteRunner().execute(sql, params));
    }
    const result = await this.dataSource.query<{ affectedRows: number; insertId: number }>(
      sql,
      params as SqlValue[],
    );
    return { affectedRows: result.affectedRows, insertId: Number(result.insertId) };
  }

  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') {
      return this.exclusive(async () => {
        const db = this.sqliteDb();
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(this.sqliteRunner());
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      });
    }
    return this.retriedOnConnection(
      async (queryRunner) => {
        await queryRunner.connect();
        await queryRunner.startTransaction();
        const result = await work(new MysqlTransactionRunner(queryRunner));
        await queryRunner.commitTransaction();
        return result;
      },
      async (queryRunner) => {
        if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
      },
    );
  }

  /**
   * Runs INSERT/UPDATE/DELETE statements as one transaction in one round trip on MySQL (the pool
   * has `multipleStatements` on for this) and resolves to each statement's affected rows. A failed
   * statement stops the rest; the transaction is then rolled back, and retried on deadlock or
   * lock-wait timeout like `transaction()`. On SQLite the statements run in one BEGIN IMMEDIATE
   * transaction under the mutex.
   */
  async executeBatch(statements: readonly SqlStatement[]): Promise<number[]> {
    if (this.dialect === 'sqlite') {
      return this.transaction(async (tx) => {
        const affected: number[] = [];
        for (const { sql, params } of statements) {
          affected.push((await tx.execute(sql, params)).affectedRows);
        }
        return affected;
      });
    }
    const sql = `START TRANSACTION; ${statements.map((s) => s.sql).join('; ')}; COMMIT`;
    const params = statements.flatMap<SqlValue>((s) => s.params);
    return this.retriedOnConnection(
      async (queryRunner) => {
        const results = (await queryRunner.query(sql, params)) as { affectedRows: number }[];
        return results.slice(1, 1 + statements.length).map((r) => r.affectedRows);
      },
      // The server stops at the failed statement, which may leave the transaction open on this
      // connection: it must not go back to the pool that way.
      (queryRunner) => queryRunner.query('ROLLBACK'),
    );
  }

  /**
   * Runs `attempt` on a pooled MySQL connection; after a failure `rollback` runs on that same
   * connection before it goes back to the pool, and deadlocks and lock-wait timeouts are retried
   * with a short randomised back-off.
   */
  private async retriedOnConnection<T>(
    attempt: (queryRunner: QueryRunner) => Promise<T>,
    rollback: (queryRunner: QueryRunner) => Promise<unknown>,
  ): Promise<T> {
    for (let tries = 1; ; tries++) {
      const queryRunner = this.dataSource.createQueryRunner();
      try {
        return await attempt(queryRunner);
      } catch (error) {
        await rollback(queryRunner).catch(() => undefined);
        if (tries < MAX_TRANSACTION_ATTEMPTS && isRetryableMysqlError(error)) {
          await sleep(5 * tries + Math.random() * 10 * tries);
          continue;
        }
        throw error;
      } finally {
        await queryRunner.release();
      }
    }
  }

  private exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.sqliteQueue.then(work, work);
    this.sqliteQueue = run.catch(() => undefined);
    return run;
  }

  private sqliteDb(): BetterSqliteDatabase {
    return (this.dataSource.driver as unknown as { databaseConnection: BetterSqliteDatabase })
      .databaseConnection;
  }

  private sqliteRunner(): SqlRunner {
    const prepare = (sql: string) => {
      let statement = this.sqliteStatements.get(sql);
      if (!statement) {
        statement = this.sqliteDb().prepare(sql);
        if (this.sqliteStatements.size > 500) this.sqliteStatements.clear();
        this.sqliteStatements.set(sql, statement);
      }
      return statement;
    };
    return {
      dialect: 'sqlite',
      select: <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
        Promise.resolve(prepare(sql).all(...toSqliteParams(params)) as T[]),
      execute: (sql: string, params: readonly SqlValue[] = []) => {
        const info = prepare(sql).run(...toSqliteParams(params));
        return Promise.resolve({
          affectedRows: info.changes,
          insertId: Number(info.lastInsertRowid),
        });
      },
    };
  }
}

class MysqlTransactionRunner implements SqlRunner {
  readonly dialect = 'mysql' as const;
  constructor(private readonly queryRunner: QueryRunner) {}

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.queryRunner.query(sql, params as SqlValue[]) as Promise<T[]>;
  }

  async execute(sql: string, params: readonly SqlValue[] = []) {
    const result = (await this.queryRunner.query(sql, params as SqlValue[])) as {
      affectedRows: number;
      insertId: number;
    };
    return { affectedRows: result.affectedRows, insertId: Number(result.insertId) };
  }
}

interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

interface BetterSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
}

function toSqliteParams(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function isRetryableMysqlError(error: unknown): boolean {
  const errno =
    (error as { errno?: number; driverError?: { errno?: number } }).driverError?.errno ??
    (error as { errno?: number }).errno;
  return errno !== undefined && MYSQL_RETRYABLE.has(errno);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
