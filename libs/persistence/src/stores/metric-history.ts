import {
  LIMITS,
  Metric,
  MetricHistoryBulkIntervalQuery,
  MetricHistoryQuery,
  RunMetric,
} from '@app/domain';
import { Row, SqlRunner, SqlValue } from '../sql-executor';
import { toMetric } from './run-rows';
import { num, placeholders, q, str } from './sql-helpers';

const POINT_COLUMNS = `m.${q('key')} AS k, m.${q('value')} AS value, m.${q('timestamp')} AS timestamp, m.step, m.is_nan`;

/**
 * A run's points of one key in (timestamp, step, value) order: the metrics primary-key order, so
 * the page is one ordered index range. An unknown run or key has no points (MLflow answers `{}`).
 */
export async function getMetricHistory(
  sql: SqlRunner,
  query: MetricHistoryQuery,
): Promise<{ items: Metric[]; hasMore: boolean }> {
  const paged = query.maxResults !== undefined && query.maxResults > 0;
  const params: SqlValue[] = [query.runId, query.metricKey];
  let page = '';
  if (paged) {
    page = ' LIMIT ? OFFSET ?';
    params.push(query.maxResults! + 1, query.offset);
  } else if (query.offset > 0) {
    // SQLite needs a LIMIT before OFFSET; -1 / 2^64-1 are each dialect's "no limit".
    page = ` LIMIT ${sql.dialect === 'mysql' ? '18446744073709551615' : '-1'} OFFSET ?`;
    params.push(query.offset);
  }
  // The key is not selected back: on long histories every column read costs (100k rows).
  const rows = await sql.select(
    `SELECT m.${q('value')} AS value, m.${q('timestamp')} AS timestamp, m.step, m.is_nan FROM metrics m` +
      ` WHERE m.run_id = (SELECT id FROM runs WHERE run_uuid = ?) AND m.${q('key')} = ?` +
      ` ORDER BY m.${q('timestamp')}, m.step, m.${q('value')}${page}`,
    params,
  );
  const hasMore = paged && rows.length > query.maxResults!;
  const items = (hasMore ? rows.slice(0, query.maxResults) : rows).map((row): Metric => ({
    key: query.metricKey,
    value: num(row.is_nan) ? NaN : num(row.value),
    timestamp: num(row.timestamp),
    step: num(row.step),
  }));
  return { items, hasMore };
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
  const interval = sql.dialect === 'mysql' ? 'total DIV ?' : 'CAST(total / ? AS INTEGER)';
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
