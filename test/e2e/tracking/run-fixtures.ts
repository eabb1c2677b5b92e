import { randomBytes } from 'node:crypto';

import { SqlExecutor, SqlValue } from '@app/persistence';

import { TestApp } from '../../support/test-app';

/** A run to create through the API, or to write straight into the store (many or odd runs). */
export interface RunSeed {
  name: string;
  startTime?: number | null;
  endTime?: number | null;
  status?: string;
  userId?: string;
  deleted?: boolean;
  /** Latest values (NaN allowed); each is also one history point at step 0. */
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: { name: string; digest: string; context?: string }[];
}

export interface MetricPoint {
  value: number;
  timestamp: number;
  step: number;
}

const CHUNK = 200;
const DATASET_SOURCE = '{"uri": "data.csv"}';

export async function createExperiment(t: TestApp, name: string): Promise<string> {
  const res = await t.http
    .post('/api/2.0/mlflow/experiments/create')
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ name }));
  if (res.status !== 200) throw new Error(`experiments/create failed: ${res.text}`);
  return res.body.experiment_id as string;
}

async function call(t: TestApp, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await t.http
    .post(`/api/2.0/mlflow/${path}`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
  if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown>;
}

/**
 * Creates the runs through the API as a client would (runs/create, log-batch, log-inputs,
 * runs/update, runs/delete); returns their run ids in the given order. A run needs a start time
 * here (the server sets one when none is sent).
 */
export async function createRuns(
  t: TestApp,
  experimentId: string,
  runs: RunSeed[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const run of runs) {
    const created = await call(t, 'runs/create', {
      experiment_id: experimentId,
      user_id: run.userId ?? 'golden',
      run_name: run.name,
      start_time: run.startTime ?? undefined,
    });
    const runId = (created.run as { info: { run_id: string } }).info.run_id;
    ids.push(runId);
    const metrics = Object.entries(run.metrics ?? {}).map(([key, value]) => ({
      key,
      value: Number.isNaN(value) ? 'NaN' : value,
      timestamp: 1732600000000,
      step: 0,
    }));
    const params = Object.entries(run.params ?? {}).map(([key, value]) => ({ key, value }));
    const tags = Object.entries(run.tags ?? {}).map(([key, value]) => ({ key, value }));
    if (metrics.length + params.length + tags.length > 0) {
      await call(t, 'runs/log-batch', { run_id: runId, metrics, params, tags });
    }
    if (run.datasets?.length) {
      await call(t, 'runs/log-inputs', {
        run_id: runId,
        datasets: run.datasets.map((d) => ({
          tags: d.context === undefined ? [] : [{ key: 'mlflow.data.context', value: d.context }],
          dataset: { name: d.name, digest: d.digest, source_type: 'local', source: DATASET_SOURCE },
        })),
      });
    }
    if (run.status !== undefined || run.endTime !== undefined) {
      await call(t, 'runs/update', {
        run_id: runId,
        status: run.status,
        end_time: run.endTime ?? undefined,
      });
    }
    if (run.deleted) await call(t, 'runs/delete', { run_id: runId });
  }
  return ids;
}

/** Inserts the runs with multi-row statements; returns their run ids in the given order. */
export async function seedRuns(
  t: TestApp,
  experimentId: string,
  runs: RunSeed[],
): Promise<string[]> {
  const sql = t.app.get(SqlExecutor);
  const uuids = runs.map(() => randomBytes(16).toString('hex'));
  for (let i = 0; i < runs.length; i += CHUNK) {
    const part = runs.slice(i, i + CHUNK);
    const ids = uuids.slice(i, i + CHUNK);
    await insertRows(
      sql,
      'runs',
      [
        'run_uuid',
        'experiment_id',
        'name',
        'user_id',
        'status',
        'start_time',
        'end_time',
        'deleted_time',
        'lifecycle_stage',
        'artifact_uri',
      ],
      part.map((run, j) => [
        ids[j],
        Number(experimentId),
        run.name,
        run.userId ?? 'golden',
        run.status ?? 'RUNNING',
        run.startTime === undefined ? 1732600000000 + i + j : run.startTime,
        run.endTime ?? null,
        run.deleted ? 1732700000000 : null,
        run.deleted ? 'deleted' : 'active',
        `mlflow-artifacts:/${experimentId}/${ids[j]}/artifacts`,
      ]),
    );
    const rows = await sql.select(
      `SELECT id, run_uuid FROM runs WHERE run_uuid IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    const pk = new Map(rows.map((r) => [String(r.run_uuid), Number(r.id)]));
    const metricRows: SqlValue[][] = [];
    const paramRows: SqlValue[][] = [];
    const tagRows: SqlValue[][] = [];
    part.forEach((run, j) => {
      const id = pk.get(ids[j])!;
      for (const [key, value] of Object.entries(run.metrics ?? {})) {
        metricRows.push([id, key, 0, 1732600000000, Number.isNaN(value) ? 0 : value, nan(value)]);
      }
      for (const [key, value] of Object.entries(run.params ?? {})) paramRows.push([id, key, value]);
      const tags = { 'mlflow.runName': run.name, ...run.tags };
      for (const [key, value] of Object.entries(tags)) tagRows.push([id, key, value]);
    });
    const metricColumns = ['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan'];
    await insertRows(sql, 'latest_metrics', metricColumns, metricRows);
    await insertRows(
      sql,
      'metrics',
      ['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan'],
      metricRows,
    );
    await insertRows(sql, 'params', ['run_id', 'key', 'value'], paramRows);
    await insertRows(sql, 'run_tags', ['run_id', 'key', 'value'], tagRows);
    for (const [j, run] of part.entries()) {
      for (const dataset of run.datasets ?? []) {
        await linkDataset(sql, experimentId, pk.get(ids[j])!, dataset);
      }
    }
  }
  return uuids;
}

/** History points of one key (the latest-metrics row is left alone). */
export async function seedMetricPoints(
  t: TestApp,
  runId: string,
  key: string,
  points: MetricPoint[],
): Promise<void> {
  const sql = t.app.get(SqlExecutor);
  const [run] = await sql.select('SELECT id FROM runs WHERE run_uuid = ?', [runId]);
  const rows = points.map((p): SqlValue[] => [
    Number(run.id),
    key,
    p.step,
    p.timestamp,
    Number.isNaN(p.value) ? 0 : p.value,
    nan(p.value),
  ]);
  for (let i = 0; i < rows.length; i += 1000) {
    await insertRows(
      sql,
      'metrics',
      ['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan'],
      rows.slice(i, i + 1000),
    );
  }
}

async function linkDataset(
  sql: SqlExecutor,
  experimentId: string,
  runPk: number,
  dataset: { name: string; digest: string; context?: string },
): Promise<void> {
  const existing = await sql.select(
    'SELECT dataset_id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?',
    [Number(experimentId), dataset.name, dataset.digest],
  );
  let datasetId = existing.length ? Number(existing[0].dataset_id) : 0;
  if (!datasetId) {
    const { insertId } = await sql.execute(
      'INSERT INTO datasets (experiment_id, name, digest, source_type, source) VALUES (?, ?, ?, ?, ?)',
      [Number(experimentId), dataset.name, dataset.digest, 'local', DATASET_SOURCE],
    );
    datasetId = insertId;
  }
  await sql.execute('INSERT INTO run_dataset_inputs (run_id, dataset_id) VALUES (?, ?)', [
    runPk,
    datasetId,
  ]);
  if (dataset.context !== undefined) {
    await sql.execute(
      'INSERT INTO run_dataset_input_tags (run_id, dataset_id, `key`, `value`) VALUES (?, ?, ?, ?)',
      [runPk, datasetId, 'mlflow.data.context', dataset.context],
    );
  }
}

async function insertRows(
  sql: SqlExecutor,
  table: string,
  columns: string[],
  rows: SqlValue[][],
): Promise<void> {
  if (rows.length === 0) return;
  const row = `(${columns.map(() => '?').join(', ')})`;
  await sql.execute(
    `INSERT INTO ${table} (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ${rows
      .map(() => row)
      .join(', ')}`,
    rows.flat(),
  );
}

function nan(value: number): number {
  return Number.isNaN(value) ? 1 : 0;
}
