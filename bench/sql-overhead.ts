/**
 * Experimental: what TypeORM's `dataSource.query` / QueryRunner transactions cost on top of a raw
 * mysql2 pool, for the statement shapes the hot paths use. Not part of `npm run bench`:
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/sql-overhead.js [--n 2000]
 *
 * Prints `name value unit` lines (µs per operation, medians) and drops its scratch database.
 */
import { createPool, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';

import { log, Report } from './lib/report';
import { createScratchDb } from './lib/scratch-db';
import { median, nowMs, percentile } from './lib/stats';

const ROWS = 1000;
const INSERT_1000 =
  'INSERT INTO m (`run_id`, `key`, `timestamp`, `step`, `value`, `is_nan`) VALUES ' +
  Array.from({ length: ROWS }, () => '(?, ?, ?, ?, ?, ?)').join(', ');

type Op = (i: number) => Promise<unknown>;

/**
 * Times the variants round-robin (A B C A B C …) after a warm-up round each, so JIT warm-up and
 * load from other processes fall on every variant alike. Returns µs per call per variant.
 */
async function compare(n: number, variants: Record<string, Op>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
  const entries = Object.entries(variants);
  for (const [, op] of entries) for (let w = 0; w < Math.min(20, n); w++) await op(-1 - w);
  for (let i = 0; i < n; i++) {
    for (const [name, op] of entries) {
      const t0 = nowMs();
      await op(i);
      out.get(name)?.push((nowMs() - t0) * 1000);
    }
  }
  return out;
}

async function main() {
  const nArg = process.argv.indexOf('--n');
  const n = nArg > 0 ? Number(process.argv[nArg + 1]) : 2000;
  const report = new Report();
  const db = await createScratchDb('bench_sqlx');
  const url = new URL(db.uri);
  let ds: DataSource | undefined;
  let raw: Pool | undefined;
  try {
    const common = {
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database: db.name,
      charset: 'utf8mb4_bin',
      supportBigNumbers: true,
      bigNumberStrings: false,
    };
    raw = createPool({ ...common, connectionLimit: 4 });
    // The same driver options as libs/persistence createDataSource (mysql2 under TypeORM).
    ds = new DataSource({
      type: 'mysql',
      host: common.host,
      port: common.port,
      username: common.user,
      password: common.password,
      database: db.name,
      charset: common.charset,
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: 4,
      entities: [],
      extra: { enableKeepAlive: true, keepAliveInitialDelay: 10_000 },
    });
    await ds.initialize();
    await raw.query(
      'CREATE TABLE m (`run_id` int NOT NULL, `key` varchar(250) COLLATE utf8mb4_bin NOT NULL, ' +
        '`timestamp` bigint NOT NULL, `step` bigint NOT NULL, `value` double NOT NULL, `is_nan` tinyint NOT NULL, ' +
        'PRIMARY KEY (`run_id`,`key`,`timestamp`,`step`,`value`,`is_nan`), KEY ix (`run_id`,`key`,`step`)) ENGINE=InnoDB',
    );
    await raw.query(
      'CREATE TABLE lm (`run_id` int NOT NULL, `key` varchar(250) COLLATE utf8mb4_bin NOT NULL, `step` bigint NOT NULL, ' +
        '`timestamp` bigint NOT NULL, `value` double NOT NULL, `is_nan` tinyint NOT NULL, PRIMARY KEY (`run_id`,`key`)) ENGINE=InnoDB',
    );
    await raw.query(
      'CREATE TABLE r (`id` int NOT NULL PRIMARY KEY, `run_uuid` varchar(32) NOT NULL, UNIQUE KEY (`run_uuid`))',
    );
    await raw.query("INSERT INTO r VALUES (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')");
    const rawPool = raw;
    const dataSource = ds;

    const emit = (group: string, results: Map<string, number[]>) => {
      for (const [name, us] of results) {
        report.figure(`sqlx.${group}.${name}.p50_us`, median(us), 'us');
        report.figure(`sqlx.${group}.${name}.p90_us`, percentile(us, 90), 'us');
      }
    };

    const uuid = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    log('SELECT 1 and a point SELECT');
    emit(
      'select1',
      await compare(n, {
        raw_pool: () => rawPool.query('SELECT 1'),
        typeorm_ds: () => dataSource.query('SELECT 1'),
      }),
    );
    const point = 'SELECT id FROM r WHERE run_uuid = ?';
    emit(
      'point_select',
      await compare(n, {
        raw_pool: () => rawPool.query(point, [uuid]),
        typeorm_ds: () => dataSource.query(point, [uuid]),
      }),
    );

    // The log-metric shape: one transaction resolving the run, inserting a point, upserting latest.
    const insertPoint = 'INSERT IGNORE INTO m VALUES (?, ?, ?, ?, ?, 0)';
    const upsertLatest =
      'INSERT INTO lm VALUES (?, ?, ?, ?, ?, 0) ON DUPLICATE KEY UPDATE `step` = VALUES(`step`), ' +
      '`timestamp` = VALUES(`timestamp`), `value` = VALUES(`value`)';
    log('log-metric transaction');
    emit(
      'log_metric_tx',
      await compare(Math.min(n, 1000), {
        raw_pool: async (i) => {
          const conn: PoolConnection = await rawPool.getConnection();
          try {
            await conn.query('START TRANSACTION');
            await conn.query(point, [uuid]);
            await conn.query(insertPoint, [2, 'loss', 1, i, i / 7]);
            await conn.query(upsertLatest, [2, 'loss', i, 1, i / 7]);
            await conn.query('COMMIT');
          } finally {
            conn.release();
          }
        },
        typeorm_qr: async (i) => {
          const qr = dataSource.createQueryRunner();
          try {
            await qr.connect();
            await qr.startTransaction();
            await qr.query(point, [uuid]);
            await qr.query(insertPoint, [3, 'loss', 1, i, i / 7]);
            await qr.query(upsertLatest, [3, 'loss', i, 1, i / 7]);
            await qr.commitTransaction();
          } finally {
            await qr.release();
          }
        },
        // The same statements without a transaction: what the commit (one fsync) costs.
        raw_autocommit_single: (i) => rawPool.query(insertPoint, [4, 'loss', 1, i, i / 7]),
      }),
    );

    log('1000-row INSERT');
    const rows = (runId: number, r: number) => {
      const v: (string | number)[] = [];
      for (let j = 0; j < ROWS; j++) v.push(runId, `m${j % 10}`, r, r * ROWS + j, j / 3, 0);
      return v;
    };
    emit(
      'insert1000',
      await compare(Math.min(n, 300), {
        raw_pool_query: (r) => rawPool.query(INSERT_1000, rows(10, r)),
        raw_pool_execute: (r) => rawPool.execute(INSERT_1000, rows(11, r)),
        typeorm_ds: (r) => dataSource.query(INSERT_1000, rows(12, r)),
        // Client-side formatting alone (what mysql2 does before sending a `query`).
        format_only: async (r) => rawPool.format(INSERT_1000, rows(13, r)),
      }),
    );

    // The get-history page shape: one key of one run in primary-key order.
    const [cnt] = await rawPool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM m WHERE run_id = 10 AND `key` = 'm0'",
    );
    log(`reading 25,000 of the ${String(cnt[0].n)} points of one key`);
    const read =
      'SELECT `key`, `value`, `timestamp`, `step`, `is_nan` FROM m WHERE run_id = ? AND `key` = ? ' +
      'ORDER BY `timestamp`, `step`, `value` LIMIT 25000';
    emit(
      'read25000',
      await compare(Math.min(n, 30), {
        raw_pool: () => rawPool.query(read, [10, 'm0']),
        typeorm_ds: () => dataSource.query(read, [10, 'm0']),
        raw_pool_execute: () => rawPool.execute(read, [10, 'm0']),
        // Rows as arrays: no per-row object with five named properties.
        raw_pool_rows_as_array: () => rawPool.query({ sql: read, rowsAsArray: true }, [10, 'm0']),
      }),
    );
  } finally {
    await ds?.destroy().catch(() => undefined);
    await raw?.end().catch(() => undefined);
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
