import type { RowDataPacket } from 'mysql2/promise';

import { BenchContext, scaled } from '../lib/context';
import { seriesValue } from '../lib/data';
import { boundedLoop } from '../lib/loop';
import { log } from '../lib/report';
import { percentile } from '../lib/stats';
import { BATCH_KEYS, LEVELS, LogBatchResult, STEPS_PER_BATCH } from './log-batch';

/** The shape of `metrics` in the schema migration, for when the suite's database is not ours. */
const METRICS_DDL = `(
  \`run_id\` int(11) NOT NULL,
  \`key\` varchar(250) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  \`timestamp\` bigint(20) NOT NULL,
  \`step\` bigint(20) NOT NULL,
  \`value\` double NOT NULL,
  \`is_nan\` tinyint(4) NOT NULL,
  \`model_id\` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  \`dataset_name\` varchar(500) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  \`dataset_digest\` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  PRIMARY KEY (\`run_id\`,\`key\`,\`timestamp\`,\`step\`,\`value\`,\`is_nan\`),
  KEY \`ix_metrics_run_key_step\` (\`run_id\`,\`key\`,\`step\`)
) ENGINE=InnoDB`;

const ROWS_PER_STATEMENT = BATCH_KEYS * STEPS_PER_BATCH;
const INSERT_SQL =
  'INSERT INTO ref_metrics (`run_id`, `key`, `timestamp`, `step`, `value`, `is_nan`) VALUES ' +
  Array.from({ length: ROWS_PER_STATEMENT }, () => '(?, ?, ?, ?, ?, ?)').join(', ');

/**
 * (e) The physical reference: the rows of (a), inserted straight into MariaDB through mysql2 with
 * one 1000-row INSERT per statement (autocommit: one transaction each, as one log-batch is), at
 * the same concurrency levels, into a table of the same shape as `metrics`.
 */
export async function runReference(
  ctx: BenchContext,
  fromA: LogBatchResult | undefined,
): Promise<void> {
  // Ended when the scratch database is dropped.
  const pool = ctx.refDb.pool(Math.max(...LEVELS));
  if (ctx.suiteDb) {
    await pool.query('CREATE TABLE ref_metrics LIKE metrics');
  } else {
    await pool.query(`CREATE TABLE ref_metrics ${METRICS_DDL}`);
  }
  for (const c of LEVELS) {
    const count = fromA?.get(c) ?? scaled(ctx, 200, 2 * c);
    const runId = 1_000_000 + c;
    const now = Date.now();
    const params = Array.from({ length: count }, (_, r) => {
      const values: (string | number)[] = [];
      for (let s = 0; s < STEPS_PER_BATCH; s++) {
        const step = r * STEPS_PER_BATCH + s;
        for (let k = 0; k < BATCH_KEYS; k++) {
          values.push(runId, `m${k}`, now + r, step, seriesValue(k, step), 0);
        }
      }
      return values;
    });
    ctx.sampler?.enter(`e.c${c}`);
    log(`(e) reference INSERT c=${c}: ${count} statements of ${ROWS_PER_STATEMENT} rows`);
    const res = await boundedLoop(
      { concurrency: c, count, maxMs: 60_000, deadline: ctx.deadline },
      (r) => pool.query(INSERT_SQL, params[r]).then(() => undefined),
    );
    ctx.sampler?.count(res.done);
    const rowsPerS = (res.done * ROWS_PER_STATEMENT) / (res.elapsedMs / 1000);
    ctx.report.figure(`e.ref_insert.c${c}.rows_per_s`, rowsPerS, 'rows/s');
    ctx.report.figure(`e.ref_insert.c${c}.p50_ms`, percentile(res.latencies, 50), 'ms');
    const a = ctx.report.figures.get(`a.log_batch.c${c}.metrics_per_s`);
    if (a !== undefined) ctx.report.figure(`e.a_over_ref.c${c}.ratio`, a / rowsPerS, 'ratio');
    const [rows] = await pool.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM ref_metrics WHERE run_id = ?',
      [runId],
    );
    const n = Number(rows[0].n);
    ctx.report.check(
      n === res.done * ROWS_PER_STATEMENT,
      `ref_metrics run ${runId}: ${n} rows, expected ${res.done * ROWS_PER_STATEMENT}`,
    );
  }
  await pool.query('DROP TABLE ref_metrics');
}
