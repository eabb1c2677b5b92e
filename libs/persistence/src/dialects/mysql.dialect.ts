import { DataSource, QueryRunner } from 'typeorm';

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

const ERROR_KINDS: Readonly<Record<string, DatabaseErrorKind>> = {
  ER_LOCK_DEADLOCK: 'deadlock',
  ER_LOCK_WAIT_TIMEOUT: 'lock-wait',
  ER_DUP_ENTRY: 'duplicate-key',
  PROTOCOL_CONNECTION_LOST: 'connection-lost',
  ECONNREFUSED: 'connection-lost',
  ECONNRESET: 'connection-lost',
  ETIMEDOUT: 'connection-lost',
  ER_CON_COUNT_ERROR: 'connection-lost',
  ER_WARN_DATA_OUT_OF_RANGE: 'value-out-of-range',
  ER_DATA_TOO_LONG: 'value-out-of-range',
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: 'value-out-of-range',
};
/** The same by number, for errors that arrive without a code (errors of a multi-statement batch). */
const ERRNO_KINDS: Readonly<Record<number, DatabaseErrorKind>> = {
  1213: 'deadlock',
  1205: 'lock-wait',
  1062: 'duplicate-key',
  1264: 'value-out-of-range',
  1406: 'value-out-of-range',
  1366: 'value-out-of-range',
};

const MAX_TRANSACTION_ATTEMPTS = 5;

/** MySQL and MariaDB through mysql2 (utf8mb4_bin columns, InnoDB). */
export const MYSQL_DIALECT: SqlDialect = {
  name: 'mysql',
  uriKind: 'mysql',
  typeormType: 'mysql',
  createDataSource: (target, options) => {
    if (target.kind !== 'mysql') throw new Error(`Not a MySQL target: ${target.kind}`);
    return new DataSource({
      type: 'mysql',
      host: target.host,
      port: target.port,
      username: target.user,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4_bin',
      supportBigNumbers: true,
      bigNumberStrings: false,
      entities: options.entities,
      migrations: options.migrations,
      migrationsTableName: 'schema_migrations',
      poolSize: options.poolSize ?? 10,
      // Lets the engine's executeBatch send a whole short transaction in one round trip (a
      // single log-metric is START TRANSACTION, two INSERTs and COMMIT). Only a saving of round
      // trips: every statement is still parameterised, no client value is ever spliced into SQL.
      multipleStatements: true,
      extra: { enableKeepAlive: true, keepAliveInitialDelay: 10_000, typeCast: exactDoubles },
    });
  },
  insertIgnore: 'INSERT IGNORE INTO',
  upsert: (_keyColumns, updateColumns) =>
    `ON DUPLICATE KEY UPDATE ${updateColumns.map((c) => `${quote(c)} = VALUES(${quote(c)})`).join(', ')}`,
  conditionalUpsert: (_table, _keyColumns, columns, isLater) => {
    const next = (c: string) => `VALUES(${c})`;
    const later = isLater(next, (c) => c);
    // MySQL assigns left to right and later conditions see earlier assignments: the caller's
    // condition must only read columns assigned after the ones it decides on (the latest-metric
    // rule reads value/is_nan only when step and timestamp are equal, and assigns those last).
    return `ON DUPLICATE KEY UPDATE ${columns.map((c) => `${c} = IF(${later}, ${next(c)}, ${c})`).join(', ')}`;
  },
  forUpdate: ' FOR UPDATE',
  forShare: ' LOCK IN SHARE MODE',
  integerDivide: (dividend, divisor) => `${dividend} DIV ${divisor}`,
  // MariaDB only builds an index range from the expanded OR; a row-value comparison is filtered.
  rowAtLeast: (first, second, firstValue, secondValue) => ({
    sql: `(${first} > ? OR (${first} = ? AND ${second} >= ?))`,
    params: [firstValue, firstValue, secondValue],
  }),
  unboundedLimit: '18446744073709551615',
  // Strict mode fails a longer value with a 500 and INSERT IGNORE would silently truncate it.
  textColumnBytes: 65_535,
  migratesOnStartByDefault: false,
  classifyError: (error) => {
    const { code, errno } = driverErrorOf(error);
    return ERROR_KINDS[code] ?? (errno !== undefined ? ERRNO_KINDS[errno] : undefined) ?? 'other';
  },
  schema: {
    doubleType: 'double',
    booleanType: 'tinyint',
    textOptions: { charset: 'utf8mb4', collation: 'utf8mb4_bin' },
    tableOptions: { engine: 'InnoDB' },
    keepExperimentIdZero: async (queryRunner) => {
      // Inserting id 0 into an AUTO_INCREMENT column only works without NO_AUTO_VALUE_ON_ZERO
      // when the row is first updated to 0; MLflow does the same dance for its Default experiment.
      const [{ id }] = (await queryRunner.query('SELECT LAST_INSERT_ID() AS id')) as {
        id: number;
      }[];
      await queryRunner.query('UPDATE experiments SET experiment_id = 0 WHERE experiment_id = ?', [
        id,
      ]);
      await queryRunner.query('ALTER TABLE experiments AUTO_INCREMENT = 1');
    },
  },
  createEngine: (dataSource, meter) => new MysqlEngine(dataSource, meter),
};

/**
 * Statements on the mysql2 pool; each transaction takes a pooled connection and is retried as a
 * whole on deadlock or lock-wait timeout.
 */
class MysqlEngine implements SqlEngine {
  readonly dialect = MYSQL_DIALECT;

  constructor(
    private readonly dataSource: DataSource,
    private readonly meter?: DatabaseMeter,
  ) {
    if (meter) timeAcquisitions(poolOf(dataSource), meter);
  }

  poolUsage(): PoolUsage {
    const pool = poolOf(this.dataSource);
    const open = pool._allConnections.length;
    const idle = pool._freeConnections.length;
    return {
      max: pool.config.connectionLimit,
      inUse: open - idle,
      idle,
      waiting: pool._connectionQueue.length,
    };
  }

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.dataSource.query<T[]>(sql, params as SqlValue[]);
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecuteResult> {
    return executeResult(await this.dataSource.query(sql, params as SqlValue[]));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
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
   * The statements as one transaction in one round trip (the pool has `multipleStatements` on for
   * this). A failed statement stops the rest; the transaction is then rolled back, and retried on
   * deadlock or lock-wait timeout like `transaction()`.
   */
  executeBatch(statements: readonly SqlStatement[]): Promise<number[]> {
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
   * Runs `attempt` on a pooled connection; after a failure `rollback` runs on that same connection
   * before it goes back to the pool, and deadlocks and lock-wait timeouts are retried with a short
   * randomised back-off.
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
        const kind = MYSQL_DIALECT.classifyError(error);
        if (tries < MAX_TRANSACTION_ATTEMPTS && (kind === 'deadlock' || kind === 'lock-wait')) {
          this.meter?.transactionRetried(kind);
          await sleep(5 * tries + Math.random() * 10 * tries);
          continue;
        }
        throw error;
      } finally {
        await queryRunner.release();
      }
    }
  }
}

/** The parts of mysql2's pool read here (its own fields: mysql2 has no public pool statistics). */
interface Mysql2Pool {
  config: { connectionLimit: number };
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
  getConnection(callback: (error: unknown, connection: unknown) => void): void;
}

function poolOf(dataSource: DataSource): Mysql2Pool {
  return (dataSource.driver as unknown as { pool: Mysql2Pool }).pool;
}

/**
 * Every statement and transaction TypeORM runs takes its connection through `getConnection`:
 * timing that one call measures how long requests queue for the pool.
 */
function timeAcquisitions(pool: Mysql2Pool, meter: DatabaseMeter): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    const start = performance.now();
    getConnection((error, connection) => {
      meter.connectionAcquired((performance.now() - start) / 1000);
      callback(error, connection);
    });
  };
}

class MysqlTransactionRunner implements SqlRunner {
  readonly dialect = MYSQL_DIALECT;

  constructor(private readonly queryRunner: QueryRunner) {}

  select<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.queryRunner.query(sql, params as SqlValue[]) as Promise<T[]>;
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecuteResult> {
    return executeResult(await this.queryRunner.query(sql, params as SqlValue[]));
  }
}

/**
 * mysql2's text-protocol number parser accumulates the digits in a double, which loses the last
 * bit of about 3 % of 16–17-digit values (990.5011037662389 came back as …388): metric values must
 * come back exactly as logged, so DOUBLE columns are read as text and converted by Number().
 */
function exactDoubles(field: { type: string; string(): string | null }, next: () => unknown) {
  if (field.type !== 'DOUBLE' && field.type !== 'FLOAT') return next();
  const text = field.string();
  return text === null ? null : Number(text);
}

function executeResult(result: unknown): ExecuteResult {
  const { affectedRows, insertId } = result as { affectedRows: number; insertId: number };
  return { affectedRows, insertId: Number(insertId) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
