import {
  LIMITS,
  MetricHistoryBulkIntervalQuery,
  MetricHistoryPage,
  MetricHistoryQuery,
  MetricHistoryStart,
  RunMetric,
  toInt64,
} from '@app/domain';

import { Row, SqlRunner, SqlValue } from '../sql-executor';
import { toMetric } from './run-rows';
import { num, placeholders, q, str } from './sql-helpers';

const POINT_COLUMNS = `m.${q('key')} AS k, m.${q('value')} AS value, m.${q('timestamp')} AS timestamp, m.step, m.is_nan`;

/** SQLite's and MariaDB's "no limit" before an OFFSET. */
/**
 * A run's points of one key in (timestamp, step, value, is_nan) order: the metrics primary-key
 * order, so a page is one ordered range of the covering PK index. A keyset start seeks to its
 * (timestamp, step) group instead of counting rows from the first point, in the form the
 * dialect's planner turns into an index range. An unknown run or key has no points (MLflow answers `{}`).
 */
export async function getMetricHistory(
  sql: SqlRunner,
  query: MetricHistoryQuery,
): Promise<MetricHistoryPage> {
  const paged = query.maxResults !== undefined && query.maxResults > 0;
  const after = 'after' in query.start ? query.start.after : undefined;
  const skip = after ? after.skip : (query.start as { offset: number }).offset;
  const params: SqlValue[] = [query.runId, query.metricKey];
  let seek = '';
  if (after) {
    const atLeast = sql.dialect.rowAtLeast(
      `m.${q('timestamp')}`,
      'm.step',
      after.timestamp,
      after.step,
    );
    seek = ` AND ${atLeast.sql}`;
    params.push(...atLeast.params);
  }
  let page = '';
  if (paged) {
    page = ' LIMIT ? OFFSET ?';
    params.push(query.maxResults! + 1, skip);
  } else if (skip > 0) {
    page = ` LIMIT ${sql.dialect.unboundedLimit} OFFSET ?`;
    params.push(skip);
  }
  // Three narrow columns (NULL value = NaN point) and no key: on 100k rows every column costs.
  const rows = await sql.select(
    `SELECT CASE WHEN m.is_nan = 1 THEN NULL ELSE m.${q('value')} END AS v, m.${q('timestamp')} AS t, m.step AS s` +
      ` FROM metrics m WHERE m.run_id = (SELECT id FROM runs WHERE run_uuid = ?) AND m.${q('key')} = ?${seek}` +
      ` ORDER BY m.${q('timestamp')}, m.step, m.${q('value')}, m.is_nan${page}`,
    params,
  );
  const hasMore = paged && rows.length > query.maxResults!;
  const count = hasMore ? query.maxResults! : rows.length;
  const timestamps = new Float64Array(count);
  const steps = new Float64Array(count);
  const values = new Float64Array(count);
  let exactInt64: MetricHistoryPage['exactInt64'];
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    timestamps[i] = num(row.t);
    steps[i] = num(row.s);
    values[i] = row.v === null ? NaN : num(row.v);
    if (typeof row.t !== 'number' || typeof row.s !== 'number') {
      const exact = { timestamp: toInt64(row.t), step: toInt64(row.s) };
      if (typeof exact.timestamp === 'bigint' || typeof exact.step === 'bigint') {
        (exactInt64 ??= new Map()).set(i, exact);
      }
    }
  }
  const result: MetricHistoryPage = { key: query.metricKey, timestamps, steps, values };
  if (exactInt64) result.exactInt64 = exactInt64;
  if (hasMore) result.next = nextStart(rows, count, query.start);
  return result;
}

/**
 * The cursor after `rows[count - 1]`: its (timestamp, step) group and how many of the group's
 * points have been returned. When the whole page is one group, the points of it before the page
 * count too: a keyset start knows them, an offset start does not (then the next page is an offset).
 */
function nextStart(rows: Row[], count: number, start: MetricHistoryStart): MetricHistoryStart {
  const timestamp = toInt64(rows[count - 1].t);
  const step = toInt64(rows[count - 1].s);
  let inGroup = 1;
  while (
    inGroup < count &&
    toInt64(rows[count - 1 - inGroup].t) === timestamp &&
    toInt64(rows[count - 1 - inGroup].s) === step
  ) {
    inGroup++;
  }
  if (inGroup < count) return { after: { timestamp, step, skip: inGroup } };
  if ('offset' in start) {
    return start.offset === 0
      ? { after: { timestamp, step, skip: count } }
      : { offset: start.offset + count };
  }
  const same = start.after.timestamp === timestamp && start.after.step === step;
  return { after: { timestamp, step, skip: (same ? start.after.skip : 0) + count } };
}

/**
 * MLflow's chart sampling (`get_metric_history_bulk_interval_impl`): over the distinct steps the
 * runs logged in [start, end] (default [0, greatest step]), every `max(1, n // maxResults)`-th
 * step plus the last one, together with each run's own first and last step when they fall in the
 * range; then those steps' points per run, runs in request order, each run's points ordered by
 * (step, timestamp, value) and capped at 25,000 as upstream does. The sampling runs in SQL over
 * the distinct steps; points are only read for the chosen steps.
 */
export async function getMetricHistoryBulkInterval(
  sql: SqlRunner,
  query: MetricHistoryBulkIntervalQuery,
): Promise<RunMetric[]> {
  const runs = await resolveRuns(sql, query.runIds);
  if (runs.size === 0) return [];
  const pks = [...runs.keys()];
  const inRuns = `m.run_id IN (${placeholders(pks.length)})`;
  const keyIs = `m.${q('key')} = ?`;
  const ranged = query.startStep !== undefined && query.endStep !== undefined;
  const range = ranged ? ' AND m.step >= ? AND m.step <= ?' : ' AND m.step >= 0';
  const rangeParams: SqlValue[] = ranged ? [query.startStep!, query.endStep!] : [];
  const interval = sql.dialect.integerDivide('total', '?');
  const [sampled, bounds] = await Promise.all([
    sql.select(
      'SELECT step FROM (' +
        ' SELECT s.step, ROW_NUMBER() OVER (ORDER BY s.step) - 1 AS position, COUNT(*) OVER () AS total' +
        ` FROM (SELECT DISTINCT m.step FROM metrics m WHERE ${inRuns} AND ${keyIs}${range}) s` +
        ') numbered' +
        ` WHERE position % (CASE WHEN total < ? THEN 1 ELSE ${interval} END) = 0 OR position = total - 1`,
      [...pks, query.metricKey, ...rangeParams, 2 * query.maxResults, query.maxResults],
    ),
    sql.select(
      `SELECT MIN(m.step) AS first_step, MAX(m.step) AS last_step FROM metrics m WHERE ${inRuns} AND ${keyIs} GROUP BY m.run_id`,
      [...pks, query.metricKey],
    ),
  ]);
  const steps = new Set<number>(sampled.map((row) => num(row.step)));
  const bounded = bounds.flatMap((row) => [num(row.first_step), num(row.last_step)]);
  const lowest = ranged ? query.startStep! : 0;
  const highest = ranged ? query.endStep! : Math.max(0, ...bounds.map((row) => num(row.last_step)));
  for (const step of bounded) if (step >= lowest && step <= highest) steps.add(step);
  if (steps.size === 0) return [];
  const rows = await sql.select(
    `SELECT run_id, k, ${q('value')}, ${q('timestamp')}, step, is_nan FROM (` +
      ` SELECT m.run_id, ${POINT_COLUMNS},` +
      ` ROW_NUMBER() OVER (PARTITION BY m.run_id ORDER BY m.step, m.${q('timestamp')}, m.${q('value')}) AS n` +
      ` FROM metrics m WHERE ${inRuns} AND ${keyIs} AND m.step IN (${placeholders(steps.size)})` +
      ') points WHERE n <= ? ORDER BY run_id, n',
    [...pks, query.metricKey, ...steps, LIMITS.metricHistoryBulkMaxResults],
  );
  const byRun = new Map<number, RunMetric[]>();
  for (const row of rows) {
    const pk = num(row.run_id);
    const list = byRun.get(pk) ?? [];
    list.push({ ...toMetric(row), runId: runs.get(pk)! });
    byRun.set(pk, list);
  }
  return pks.flatMap((pk) => byRun.get(pk) ?? []);
}

/**
 * Every point of `metricKey` of the given runs, sorted by run id then (timestamp, step, value),
 * at most `maxResults` in total (MLflow's `get_metric_history_bulk`).
 */
export async function getMetricHistoryBulk(
  sql: SqlRunner,
  runIds: string[],
  metricKey: string,
  maxResults: number,
): Promise<RunMetric[]> {
  const uuids = [...new Set(runIds)];
  if (uuids.length === 0 || maxResults <= 0) return [];
  const rows = await sql.select(
    `SELECT r.run_uuid, ${POINT_COLUMNS} FROM metrics m JOIN runs r ON r.id = m.run_id` +
      ` WHERE r.run_uuid IN (${placeholders(uuids.length)}) AND m.${q('key')} = ?` +
      ` ORDER BY r.run_uuid, m.${q('timestamp')}, m.step, m.${q('value')} LIMIT ?`,
    [...uuids, metricKey, maxResults],
  );
  return rows.map((row) => ({ ...toMetric(row), runId: str(row.run_uuid) }));
}

/** Surrogate key → run id of the existing runs among `runIds`, in request order. */
async function resolveRuns(sql: SqlRunner, runIds: string[]): Promise<Map<number, string>> {
  const uuids = [...new Set(runIds)];
  if (uuids.length === 0) return new Map();
  const rows: Row[] = await sql.select(
    `SELECT id, run_uuid FROM runs WHERE run_uuid IN (${placeholders(uuids.length)})`,
    uuids,
  );
  const pkByUuid = new Map(rows.map((row) => [str(row.run_uuid), num(row.id)]));
  const runs = new Map<number, string>();
  for (const uuid of uuids) {
    const pk = pkByUuid.get(uuid);
    if (pk !== undefined) runs.set(pk, uuid);
  }
  return runs;
}
