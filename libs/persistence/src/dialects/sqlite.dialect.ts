import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { DataSource } from 'typeorm';

import type { DatabaseMeter, PoolUsage } from '@app/domain';

import type {
  ExecuteResult,
  Row,
  SqlEngine,
  SqlRunner,
  SqlStatement,
  SqlValue,
} from '../sql-types';
import { q as quote } from '../stores/sql-helpers';
import { DatabaseErrorKind, driverErrorOf, SqlDialect } from './sql-dialect';

function classify(error: unknown): DatabaseErrorKind {
  const { code } = driverErrorOf(error);
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'duplicate-key';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'lock-wait';
  if (code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG') return 'value-out-of-range';
  return 'other';
}

/** Embedded SQLite through better-sqlite3: one connection, transactions serialised. */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  uriKind: 'sqlite',
  typeormType: 'better-sqlite3',
  createDataSource: (target, options) => {
    if (target.kind !== 'sqlite') throw new Error(`Not a SQLite target: ${target.kind}`);
    const database = target.path === ':memory:' ? ':memory:' : resolve(target.path);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return new DataSource({
      type: 'better-sqlite3',
      database,
      entities: options.entities,
      migrations: options.migrations,
      migrationsTableName: 'schema_migrations',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        // MLflow makes LIKE case-sensitive on SQLite too (search_utils); ILIKE uses LOWER().
        db.pragma('case_sensitive_like = ON');
        db.pragma('busy_timeout = 5000');
      },
    });
  },
  insertIgnore: 'INSERT OR IGNORE INTO',
  upsert: (keyColumns, updateColumns) =>
    `ON CONFLICT (${keyColumns.map(quote).join(', ')}) DO UPDATE SET ${updateColumns
      .map((c) => `${quote(c)} = excluded.${quote(c)}`)
      .join(', ')}`,
  conditionalUpsert: (table, keyColumns, columns, isLater) =>
    `ON CONFLICT (${keyColumns.map(quote).join(', ')}) DO UPDATE SET ${columns
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')} WHERE ${isLater(
      (c) => `excluded.${c}`,
      (c) => `${table}.${c}`,
    )}`,
  // Every SQLite transaction is exclusive already (BEGIN IMMEDIATE under one mutex).
  forUpdate: '',
  forShare: '',
  integerDivide: (dividend, divisor) => `CAST(${dividend} / ${divisor} AS INTEGER)`,
  rowAtLeast: (first, second, firstValue, secondValue) => ({
    sql: `(${first}, ${second}) >= (?, ?)`,
    params: [firstValue, secondValue],
  }),
  unboundedLimit: '-1',
  textColumnBytes: null,
  migratesOnStartByDefault: true,
  classifyError: classify,
  schema: {
    doubleType: 'real',
    // NUMERIC affinity, still 0/1: the one entity type 'boolean' is what TypeORM's sqlite driver
    // keeps and its mysql driver normalises to tinyint.
    booleanType: 'boolean',
    textOptions: {},
    tableOptions: {},
    keepExperimentIdZero: () => Promise.resolve(),
  },
  createEngine: (dataSource, meter) => new SqliteEngine(dataSource, meter),
};

/**
 * better-sqlite3 is one synchronous connection: a transaction awaiting between statements would
 * let other requests' statements slip into it, so every statement and transaction goes through
 * one async mutex. Prepared statements are cached by text.
 */
class SqliteEngine implements SqlEngine {
  readonly dialect = SQLITE_DIALECT;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly runner: SqlRunner;
  /** Calls queued behind the lock, and whether one holds it: SQLite's "pool". */
  private waiting = 0;
  private busy = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly meter?: DatabaseMeter,
  ) {
    const prepare = (sql: string) => {
      let statement = this.statements.get(sql);
      if (!statement) {
        // Integers come back exact (bigint) and are turned into numbers where that is exact too:
        // the same shape mysql2 gives, an int64 beyond 2^53 never rounded.
        statement = this.db().prepare(sql).safeIntegers(true);
        if (this.statements.size > 500) this.statements.clear();
        this.statements.set(sql, statement);
      }
      return statement;
    };
    this.runner = {
      dialect: SQLITE_DIALECT,
      select: <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
        Promise.resolve(exactIntegers(prepare(sql).all(...toSqliteParams(params)) as T[])),
      execute: (sql: string, params: readonly SqlValue[] = []) => {
        const info = prepare(sql).run(...toSqliteParams(params));
        return Promise.resolve<ExecuteResult>({
          affectedRows: info.changes,
          insertId: Number(info.lastInsertRowid),
        });
      },
    };
  }

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.exclusive(() => this.runner.select<T>(sql, params));
  }

  execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecuteResult> {
    return this.exclusive(() => this.runner.execute(sql, params));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const db = this.db();
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.runner);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  executeBatch(statements: readonly SqlStatement[]): Promise<number[]> {
    return this.transaction(async (tx) => {
      const affected: number[] = [];
      for (const { sql, params } of statements) {
        affected.push((await tx.execute(sql, params)).affectedRows);
      }
      return affected;
    });
  }

  poolUsage(): PoolUsage {
    return { max: 1, inUse: this.busy ? 1 : 0, idle: this.busy ? 0 : 1, waiting: this.waiting };
  }

  private exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const start = this.meter ? performance.now() : 0;
    this.waiting++;
    const locked = async () => {
      this.waiting--;
      this.busy = true;
      this.meter?.connectionAcquired((performance.now() - start) / 1000);
      try {
        return await work();
      } finally {
        this.busy = false;
      }
    };
    const run = this.queue.then(locked, locked);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private db(): BetterSqliteDatabase {
    return (this.dataSource.driver as unknown as { databaseConnection: BetterSqliteDatabase })
      .databaseConnection;
  }
}

interface SqliteStatement {
  safeIntegers(toggle: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

interface BetterSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
}

/** bigint values that a number holds exactly, as numbers; the others stay bigints. */
function exactIntegers<T extends Row>(rows: T[]): T[] {
  for (const row of rows) {
    for (const column in row) {
      const value = row[column];
      if (typeof value === 'bigint') {
        const asNumber = Number(value);
        if (Number.isSafeInteger(asNumber)) (row as Row)[column] = asNumber;
      }
    }
  }
  return rows;
}

function toSqliteParams(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}
