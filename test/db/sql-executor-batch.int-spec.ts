import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { createDataSource, SqlExecutor } from '@app/persistence';

import { BACKENDS } from '../support/backends';
import { createScratchDatabase } from '../support/mysql';

/** SqlExecutor.executeBatch: one transaction in one round trip (MySQL) or one BEGIN IMMEDIATE (SQLite). */
describe.each(BACKENDS)('SqlExecutor.executeBatch on %s', (backend) => {
  let dataSource: DataSource;
  let sql: SqlExecutor;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    if (backend === 'mysql') {
      const db = await createScratchDatabase('flops_batch');
      // One connection, so the test sees the connection a failed batch went back to the pool with.
      dataSource = createDataSource({ backendStoreUri: db.uri, poolSize: 1 });
      cleanup = db.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'flops-batch-'));
      dataSource = createDataSource({ backendStoreUri: `sqlite:///${join(dir, 'batch.db')}` });
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    }
    await dataSource.initialize();
    sql = new SqlExecutor(dataSource);
    await sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(10))');
  });

  afterEach(async () => {
    await dataSource.destroy();
    await cleanup();
  });

  const ids = async () =>
    (await sql.select('SELECT id FROM t ORDER BY id')).map((r) => Number(r.id));

  it('runs every statement and answers each one affected-row count', async () => {
    const affected = await sql.executeBatch([
      { sql: 'INSERT INTO t (id, v) VALUES (?, ?), (?, ?)', params: [1, 'a', 2, "b'; --"] },
      { sql: 'UPDATE t SET v = ? WHERE id > ?', params: ['c', 5] },
      { sql: 'DELETE FROM t WHERE id = ?', params: [1] },
    ]);
    expect(affected).toEqual([2, 0, 1]);
    expect(await sql.select('SELECT id, v FROM t')).toEqual([{ id: 2, v: "b'; --" }]);
  });

  it('writes nothing when a later statement fails, and leaves no transaction open', async () => {
    await sql.execute('INSERT INTO t (id, v) VALUES (?, ?)', [9, 'x']);
    await expect(
      sql.executeBatch([
        { sql: 'INSERT INTO t (id, v) VALUES (?, ?)', params: [1, 'a'] },
        { sql: 'INSERT INTO t (id, v) VALUES (?, ?)', params: [9, 'duplicate'] },
      ]),
      // Not toThrow(): better-sqlite3's error is not always `instanceof Error` in jest's realm.
    ).rejects.toHaveProperty('message', expect.stringMatching(/UNIQUE constraint|Duplicate entry/));
    expect(await ids()).toEqual([9]);
    if (backend === 'mysql') {
      const [state] = await sql.select('SELECT @@in_transaction AS open');
      expect(Number(state.open)).toBe(0);
    }
    // The connection is usable, and the next batch commits on its own.
    expect(
      await sql.executeBatch([{ sql: 'INSERT INTO t (id, v) VALUES (?, ?)', params: [2, 'b'] }]),
    ).toEqual([1]);
    expect(await ids()).toEqual([2, 9]);
  });
});
