import { createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';

import { MlflowError } from '@app/domain';
import { createDataSource, SqlExecutor } from '@app/persistence';

import { createScratchDatabase } from '../support/mysql';

/**
 * A database that goes away under a request is the domain's TEMPORARILY_UNAVAILABLE (503 with
 * Retry-After, which the MLflow client retries), never a driver error the HTTP layer must know.
 */
describe('SqlExecutor when MySQL drops its connection', () => {
  let db: { uri: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let sql: SqlExecutor;

  beforeEach(async () => {
    db = await createScratchDatabase('flops_outage');
    dataSource = createDataSource({ backendStoreUri: db.uri, poolSize: 1 });
    await dataSource.initialize();
    sql = new SqlExecutor(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  /** Kills, from another connection, the session running `SELECT SLEEP(…)`. */
  async function killSleepingSession(): Promise<void> {
    const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    try {
      for (;;) {
        const [rows] = await admin.query<RowDataPacket[]>('SHOW PROCESSLIST');
        const victim = rows.find((row) => String(row.Info ?? '').startsWith('SELECT SLEEP'));
        if (victim) {
          await admin.query(`KILL CONNECTION ${Number(victim.Id)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await admin.end();
    }
  }

  it('answers a killed in-flight statement as TEMPORARILY_UNAVAILABLE, and serves the next one', async () => {
    const inFlight = sql.select('SELECT SLEEP(30) AS slept');
    await killSleepingSession();
    const error = await inFlight.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    expect((error as MlflowError).code).toBe('TEMPORARILY_UNAVAILABLE');
    expect((error as MlflowError).message).not.toMatch(/SLEEP|KILL|mysql|flops_outage/i);
    expect(await sql.select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('answers a killed transaction as TEMPORARILY_UNAVAILABLE and commits none of it', async () => {
    await sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const inFlight = sql.transaction(async (tx) => {
      await tx.execute('INSERT INTO t (id) VALUES (1)');
      await tx.select('SELECT SLEEP(30) AS slept');
    });
    await killSleepingSession();
    await expect(inFlight).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    expect(await sql.select('SELECT id FROM t')).toEqual([]);
  });

  it('answers a value its column cannot hold as INVALID_PARAMETER_VALUE, not a driver error', async () => {
    await sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, step BIGINT, name VARCHAR(4))');
    await expect(
      sql.execute('INSERT INTO t (id, step) VALUES (1, ?)', [2 ** 63]),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(
      sql.transaction((tx) => tx.execute("INSERT INTO t (id, name) VALUES (2, 'toolong')")),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    expect(await sql.select('SELECT id FROM t')).toEqual([]);
  });

  it('leaves errors that are the request’s own, such as a duplicate key, to the store', async () => {
    await sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    await sql.execute('INSERT INTO t (id) VALUES (1)');
    const error = await sql.execute('INSERT INTO t (id) VALUES (1)').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(MlflowError);
    expect(sql.dialect.classifyError(error)).toBe('duplicate-key');
  });
});
