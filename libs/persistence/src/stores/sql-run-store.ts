import { randomUUID } from 'node:crypto';

import {
  compareInt64,
  CreateRunInput,
  DatasetInput,
  DatasetSummary,
  KeyValue,
  latestPerKey,
  LOG_MODEL_HISTORY_TAG,
  LogBatchInput,
  Metric,
  MetricHistoryBulkIntervalQuery,
  MetricHistoryPage,
  MetricHistoryQuery,
  MlflowError,
  ModelOutput,
  ParamChange,
  ParamValueChangedError,
  Run,
  RUN_NAME_TAG,
  RunInfo,
  RunMetric,
  runNotFound,
  RunStore,
  SearchRunsQuery,
  storableMetricValue,
  UpdateRunInput,
} from '@app/domain';

import { SqlDialect, SqlExecutor, SqlRunner, SqlValue } from '../sql-executor';
import { joinArtifactRoot } from './artifact-locations';
import { activeExperimentLocation } from './experiment-lookup';
import {
  getMetricHistory,
  getMetricHistoryBulk,
  getMetricHistoryBulkInterval,
} from './metric-history';
import { hydrateRuns, RUN_COLUMNS, toRunRow } from './run-rows';
import { searchDatasets, searchRuns } from './run-search';
import { chunk, num, placeholders, q, rowPlaceholders, str } from './sql-helpers';

/** Rows per multi-row statement: ≤ 9 × 500 placeholders, far below both dialects' limits. */
const ROWS_PER_STATEMENT = 500;

interface RunRef {
  pk: number;
  experimentId: number;
  lifecycleStage: string;
}

/** A metric point as stored (±Infinity already clamped): NaN as value 0 with is_nan = 1. */
interface MetricRow {
  metric: Metric;
  value: number;
  isNan: number;
}

export class SqlRunStore extends RunStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  createRun(input: CreateRunInput): Promise<Run> {
    const runId = randomUUID().replace(/-/g, '');
    return this.sql.transaction(async (tx) => {
      const artifactLocation = await activeExperimentLocation(tx, input.experimentId);
      const artifactUri = joinArtifactRoot(artifactLocation, runId, 'artifacts');
      const { insertId } = await tx.execute(
        'INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, deleted_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)',
        [
          runId,
          num(input.experimentId),
          input.runName,
          input.userId,
          'RUNNING',
          input.startTime,
          'active',
          artifactUri,
        ],
      );
      await upsertRunTags(tx, insertId, input.tags);
      return {
        info: {
          runId,
          experimentId: String(num(input.experimentId)),
          runName: input.runName,
          userId: input.userId,
          status: 'RUNNING',
          startTime: input.startTime,
          endTime: null,
          artifactUri,
          lifecycleStage: 'active',
        },
        data: { metrics: [], params: [], tags: input.tags },
        inputs: { datasetInputs: [], modelInputs: [] },
        outputs: { modelOutputs: [] },
      };
    });
  }

  async getRun(runId: string): Promise<Run> {
    const [run] = await hydrateRuns(this.sql, [await selectRunRow(this.sql, runId)]);
    return run;
  }

  async getRunInfo(runId: string): Promise<RunInfo> {
    return (await selectRunRow(this.sql, runId)).info;
  }

  updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo> {
    return this.sql.transaction(async (tx) => {
      const { pk, info } = await selectRunRow(tx, runId, tx.dialect.forUpdate);
      if (info.lifecycleStage !== 'active') throw runNotActive(runId, info.lifecycleStage);
      const updated: RunInfo = {
        ...info,
        status: update.status ?? info.status,
        endTime: update.endTime ?? info.endTime,
        runName: update.runName ?? info.runName,
      };
      await tx.execute('UPDATE runs SET status = ?, end_time = ?, name = ? WHERE id = ?', [
        updated.status,
        updated.endTime,
        updated.runName,
        pk,
      ]);
      if (update.runName !== undefined) {
        await upsertRunTags(tx, pk, [{ key: RUN_NAME_TAG, value: update.runName }]);
      }
      return updated;
    });
  }

  deleteRun(runId: string): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const run = await requireRun(tx, runId);
      // The first deletion time is kept, so a retried delete changes nothing.
      await tx.execute(
        'UPDATE runs SET lifecycle_stage = ?, deleted_time = COALESCE(deleted_time, ?) WHERE id = ?',
        ['deleted', Date.now(), run.pk],
      );
    });
  }

  restoreRun(runId: string): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const run = await requireRun(tx, runId);
      await tx.execute('UPDATE runs SET lifecycle_stage = ?, deleted_time = NULL WHERE id = ?', [
        'active',
        run.pk,
      ]);
    });
  }

  logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    // Every statement writes its keys in one global order, so concurrent batches on one run take
    // their row locks in the same order (mlflow#24923).
    const params = [...batch.params].sort(byKey);
    const tags = [...batch.tags].sort(byKey);
    const points = batch.metrics.map((m) => ({ ...m, value: storableMetricValue(m.value) }));
    const metrics = points.map(toMetricRow).sort(byMetricRow);
    const latest = latestPerKey(points).map(toMetricRow).sort(byMetricRow);
    return this.sql.transaction(async (tx) => {
      const run = await requireActiveRun(tx, runId);
      await insertParams(tx, run.pk, runId, params);
      await insertMetrics(tx, run.pk, metrics);
      await upsertLatestMetrics(tx, run.pk, latest);
      await insertLoggedModelMetrics(tx, runId, metrics);
      await upsertRunTags(tx, run.pk, tags);
    });
  }

  /**
   * One round trip on MySQL: the run is resolved inside both INSERTs, which write nothing unless it
   * exists and is active. Only when the point was not inserted is the run read again, to tell an
   * unknown or inactive run (an error) from a replayed identical point (a no-op).
   */
  async logMetric(runId: string, metric: Metric): Promise<void> {
    // Logged-model points also go to logged_model_metrics: the general path does that.
    if (metric.modelId) return this.logBatch(runId, { metrics: [metric], params: [], tags: [] });
    const value = storableMetricValue(metric.value);
    const isNan = Number.isNaN(value) ? 1 : 0;
    const storedValue = isNan ? 0 : value;
    const sql = logMetricSql(this.sql.dialect);
    const [inserted] = await this.sql.executeBatch([
      {
        sql: sql.metric,
        params: [
          metric.key,
          metric.timestamp,
          metric.step,
          storedValue,
          isNan,
          metric.datasetName ?? null,
          metric.datasetDigest ?? null,
          runId,
        ],
      },
      {
        sql: sql.latest,
        params: [metric.key, storedValue, isNan, metric.timestamp, metric.step, runId],
      },
    ]);
    if (inserted === 0) await requireActiveRun(this.sql, runId);
  }

  deleteTag(runId: string, key: string): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const run = await requireActiveRun(tx, runId);
      const { affectedRows } = await tx.execute(
        `DELETE FROM run_tags WHERE run_id = ? AND ${q('key')} = ?`,
        [run.pk, key],
      );
      if (affectedRows === 0) {
        throw MlflowError.resourceDoesNotExist(`No tag with name: ${key} in run with id ${runId}`);
      }
    });
  }

  appendLoggedModelHistory(runId: string, modelJson: Record<string, unknown>): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const run = await requireActiveRun(tx, runId);
      const rows = await tx.select(
        `SELECT ${q('value')} AS v FROM run_tags WHERE run_id = ? AND ${q('key')} = ?${tx.dialect.forUpdate}`,
        [run.pk, LOG_MODEL_HISTORY_TAG],
      );
      const history = rows.length ? parseHistory(runId, str(rows[0].v)) : [];
      const value = pythonJsonDumps([...history, modelJson]);
      assertFitsText(tx.dialect, `The ${LOG_MODEL_HISTORY_TAG} tag`, value);
      await upsertRunTags(tx, run.pk, [{ key: LOG_MODEL_HISTORY_TAG, value }]);
    });
  }

  logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void> {
    const unique = new Map<string, DatasetInput>();
    for (const input of datasets) {
      const { source, schema, profile } = input.dataset;
      assertFitsText(this.sql.dialect, "The dataset's source", source);
      assertFitsText(this.sql.dialect, "The dataset's schema", schema);
      assertFitsText(this.sql.dialect, "The dataset's profile", profile);
      const id = datasetKey(input.dataset.name, input.dataset.digest);
      if (!unique.has(id)) unique.set(id, input);
    }
    const inputs = [...unique.values()];
    const models = [...new Set(modelIds)].sort();
    return this.sql.transaction(async (tx) => {
      const run = await requireActiveRun(tx, runId);
      if (inputs.length > 0) await linkDatasets(tx, run, inputs);
      for (const part of chunk(models, ROWS_PER_STATEMENT)) {
        await tx.execute(
          `${tx.dialect.insertIgnore} run_model_inputs (run_id, model_id) VALUES ${rowPlaceholders(part.length, 2)}`,
          part.flatMap((modelId) => [run.pk, modelId]),
        );
      }
    });
  }

  logOutputs(runId: string, models: ModelOutput[]): Promise<void> {
    const sorted = [...models].sort((a, b) => compareStrings(a.modelId, b.modelId));
    return this.sql.transaction(async (tx) => {
      const run = await requireActiveRun(tx, runId);
      for (const part of chunk(sorted, ROWS_PER_STATEMENT)) {
        await tx.execute(
          `${tx.dialect.insertIgnore} run_model_outputs (run_id, model_id, step) VALUES ${rowPlaceholders(part.length, 3)}`,
          part.flatMap((m) => [run.pk, m.modelId, m.step]),
        );
      }
    });
  }

  // Read-side queries live in their own files (run-search.ts, metric-history.ts).
  searchRuns(query: SearchRunsQuery): Promise<{ items: Run[]; hasMore: boolean }> {
    return searchRuns(this.sql, query);
  }
  getMetricHistory(query: MetricHistoryQuery): Promise<MetricHistoryPage> {
    return getMetricHistory(this.sql, query);
  }
  getMetricHistoryBulkInterval(query: MetricHistoryBulkIntervalQuery): Promise<RunMetric[]> {
    return getMetricHistoryBulkInterval(this.sql, query);
  }
  getMetricHistoryBulk(
    runIds: string[],
    metricKey: string,
    maxResults: number,
  ): Promise<RunMetric[]> {
    return getMetricHistoryBulk(this.sql, runIds, metricKey, maxResults);
  }
  searchDatasets(experimentIds: string[]): Promise<DatasetSummary[]> {
    return searchDatasets(this.sql, experimentIds);
  }
}

/**
 * A value too long for its TEXT column (datasets' source, schema and profile; run tag values) is
 * refused as a 400 where the backend has such a limit: it would fail the statement (a 500) or
 * silently truncate the value.
 */
function assertFitsText(dialect: SqlDialect, label: string, value: string | null | undefined) {
  const limit = dialect.textColumnBytes;
  // 4 bytes a character at most: a shorter string cannot exceed the limit, so skip counting.
  if (limit === null || !value || value.length * 4 <= limit) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > limit) {
    throw MlflowError.invalidParameterValue(
      `${label} takes ${bytes} bytes; this backend store holds at most ${limit}.`,
    );
  }
}

function runNotActive(runId: string, stage: string): MlflowError {
  return MlflowError.invalidParameterValue(
    `The run ${runId} must be in the 'active' state. Current state is ${stage}.`,
  );
}

async function selectRunRow(runner: SqlRunner, runId: string, lock = '') {
  const rows = await runner.select(
    `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_uuid = ?${lock}`,
    [runId],
  );
  if (rows.length === 0) throw runNotFound(runId);
  return toRunRow(rows[0]);
}

async function requireRun(runner: SqlRunner, runId: string): Promise<RunRef> {
  const rows = await runner.select(
    'SELECT id, experiment_id, lifecycle_stage FROM runs WHERE run_uuid = ?',
    [runId],
  );
  if (rows.length === 0) throw runNotFound(runId);
  return {
    pk: num(rows[0].id),
    experimentId: num(rows[0].experiment_id),
    lifecycleStage: str(rows[0].lifecycle_stage),
  };
}

async function requireActiveRun(runner: SqlRunner, runId: string): Promise<RunRef> {
  const run = await requireRun(runner, runId);
  if (run.lifecycleStage !== 'active') throw runNotActive(runId, run.lifecycleStage);
  return run;
}

async function upsertRunTags(tx: SqlRunner, runPk: number, tags: KeyValue[]): Promise<void> {
  for (const part of chunk(tags, ROWS_PER_STATEMENT)) {
    await tx.execute(
      `INSERT INTO run_tags (run_id, ${q('key')}, ${q('value')}) VALUES ${rowPlaceholders(part.length, 3)} ${tx.dialect.upsert(['run_id', 'key'], ['value'])}`,
      part.flatMap((t) => [runPk, t.key, t.value]),
    );
  }
  const runName = tags.find((t) => t.key === RUN_NAME_TAG);
  if (runName) {
    await tx.execute('UPDATE runs SET name = ? WHERE id = ?', [runName.value, runPk]);
  }
}

/**
 * Write-once params: every changed value is refused before anything is written. INSERT IGNORE
 * covers a concurrent request logging the same key first; a locking re-read then compares with
 * the value that won.
 */
async function insertParams(
  tx: SqlRunner,
  runPk: number,
  runId: string,
  params: KeyValue[],
): Promise<void> {
  if (params.length === 0) return;
  const existing = await loadParams(tx, runPk, params, '');
  assertUnchanged(runId, params, existing);
  const fresh = params.filter((p) => !existing.has(p.key));
  if (fresh.length === 0) return;
  const { affectedRows } = await tx.execute(
    `${tx.dialect.insertIgnore} params (run_id, ${q('key')}, ${q('value')}) VALUES ${rowPlaceholders(fresh.length, 3)}`,
    fresh.flatMap((p) => [runPk, p.key, p.value]),
  );
  if (affectedRows < fresh.length) {
    const lock = tx.dialect.forShare;
    assertUnchanged(runId, fresh, await loadParams(tx, runPk, fresh, lock));
  }
}

async function loadParams(
  tx: SqlRunner,
  runPk: number,
  params: KeyValue[],
  lock: string,
): Promise<Map<string, string>> {
  const rows = await tx.select(
    `SELECT ${q('key')} AS k, ${q('value')} AS v FROM params WHERE run_id = ? AND ${q('key')} IN (${placeholders(params.length)})${lock}`,
    [runPk, ...params.map((p) => p.key)],
  );
  return new Map(rows.map((r) => [str(r.k), str(r.v)]));
}

function assertUnchanged(runId: string, params: KeyValue[], logged: Map<string, string>): void {
  const changes: ParamChange[] = [];
  for (const p of params) {
    const oldValue = logged.get(p.key);
    if (oldValue !== undefined && oldValue !== p.value) {
      changes.push({ key: p.key, oldValue, newValue: p.value });
    }
  }
  if (changes.length > 0) throw new ParamValueChangedError(runId, changes);
}

function toMetricRow(metric: Metric): MetricRow {
  const isNan = Number.isNaN(metric.value);
  return { metric, value: isNan ? 0 : metric.value, isNan: isNan ? 1 : 0 };
}

/** Identical points (the whole primary key) are skipped: retried batches add nothing. */
async function insertMetrics(tx: SqlRunner, runPk: number, metrics: MetricRow[]): Promise<void> {
  for (const part of chunk(metrics, ROWS_PER_STATEMENT)) {
    const values: SqlValue[] = [];
    for (const { metric, value, isNan } of part) {
      values.push(
        runPk,
        metric.key,
        metric.timestamp,
        metric.step,
        value,
        isNan,
        metric.modelId ?? null,
        metric.datasetName ?? null,
        metric.datasetDigest ?? null,
      );
    }
    await tx.execute(
      `${tx.dialect.insertIgnore} metrics (run_id, ${q('key')}, ${q('timestamp')}, step, ${q('value')}, is_nan, model_id, dataset_name, dataset_digest) VALUES ${rowPlaceholders(part.length, 9)}`,
      values,
    );
  }
}

/** The columns of latest_metrics that an upsert may replace, in the order the condition needs. */
const LATEST_COLUMNS = [q('value'), 'is_nan', q('timestamp'), 'step'];

/**
 * One upsert per chunk that replaces a key's latest point only when the new one is later by
 * (step, timestamp, value), NaN counting as the smallest value.
 */
async function upsertLatestMetrics(
  tx: SqlRunner,
  runPk: number,
  latest: MetricRow[],
): Promise<void> {
  const columns = LATEST_COLUMNS;
  for (const part of chunk(latest, ROWS_PER_STATEMENT)) {
    const values = part.flatMap(({ metric, value, isNan }) => [
      runPk,
      metric.key,
      value,
      isNan,
      metric.timestamp,
      metric.step,
    ]);
    await tx.execute(
      `INSERT INTO latest_metrics (run_id, ${q('key')}, ${columns.join(', ')}) VALUES ${rowPlaceholders(part.length, 6)} ${latestUpsertSuffix(tx.dialect, columns)}`,
      values,
    );
  }
}

const LOG_METRIC_SQL = new Map<SqlDialect, { metric: string; latest: string }>();

/** The two statements of `logMetric`, each resolving the run itself (built once per dialect). */
function logMetricSql(dialect: SqlDialect): { metric: string; latest: string } {
  let sql = LOG_METRIC_SQL.get(dialect);
  if (!sql) {
    const activeRun = `FROM runs r WHERE r.run_uuid = ? AND r.lifecycle_stage = 'active'`;
    sql = {
      metric: `${dialect.insertIgnore} metrics (run_id, ${q('key')}, ${q('timestamp')}, step, ${q('value')}, is_nan, model_id, dataset_name, dataset_digest) SELECT r.id, ?, ?, ?, ?, ?, NULL, ?, ? ${activeRun}`,
      latest: `INSERT INTO latest_metrics (run_id, ${q('key')}, ${LATEST_COLUMNS.join(', ')}) SELECT r.id, ?, ?, ?, ?, ? ${activeRun} ${latestUpsertSuffix(dialect, LATEST_COLUMNS)}`,
    };
    LOG_METRIC_SQL.set(dialect, sql);
  }
  return sql;
}

/** The latest-metric rule: a point replaces the stored one only when it is later (step, timestamp, value). */
function latestUpsertSuffix(dialect: SqlDialect, columns: string[]): string {
  const [value, isNan, timestamp, step] = columns;
  return dialect.conditionalUpsert('latest_metrics', ['run_id', 'key'], columns, (next, old) =>
    laterThan(next, old, value, isNan, timestamp, step),
  );
}

function laterThan(
  next: (column: string) => string,
  old: (column: string) => string,
  value: string,
  isNan: string,
  timestamp: string,
  step: string,
): string {
  const laterValue = `(${next(isNan)} = 0 AND (${old(isNan)} = 1 OR ${next(value)} > ${old(value)}))`;
  const laterTimestamp = `(${next(timestamp)} > ${old(timestamp)} OR (${next(timestamp)} = ${old(timestamp)} AND ${laterValue}))`;
  return `(${next(step)} > ${old(step)} OR (${next(step)} = ${old(step)} AND ${laterTimestamp}))`;
}

/** MLflow 3.x: points logged with a model id are also the logged model's metrics. */
async function insertLoggedModelMetrics(
  tx: SqlRunner,
  runId: string,
  metrics: MetricRow[],
): Promise<void> {
  const modelMetrics = metrics.filter((m) => m.metric.modelId);
  for (const part of chunk(modelMetrics, ROWS_PER_STATEMENT)) {
    const values: SqlValue[] = [];
    for (const { metric, value, isNan } of part) {
      values.push(
        metric.modelId ?? null,
        metric.key,
        metric.timestamp,
        metric.step,
        value,
        isNan,
        runId,
        metric.datasetName ?? null,
        metric.datasetDigest ?? null,
      );
    }
    await tx.execute(
      `${tx.dialect.insertIgnore} logged_model_metrics (model_id, ${q('key')}, ${q('timestamp')}, step, ${q('value')}, is_nan, run_id, dataset_name, dataset_digest) VALUES ${rowPlaceholders(part.length, 9)}`,
      values,
    );
  }
}

/**
 * Datasets are shared per experiment by (name, digest): existing ones are reused unchanged. Only
 * links the run does not have yet are added, each with the input tags it arrived with (MLflow's
 * `_log_inputs_impl`).
 */
async function linkDatasets(tx: SqlRunner, run: RunRef, inputs: DatasetInput[]): Promise<void> {
  for (const part of chunk(inputs, ROWS_PER_STATEMENT)) {
    await tx.execute(
      `${tx.dialect.insertIgnore} datasets (experiment_id, name, digest, source_type, source, dataset_schema, profile) VALUES ${rowPlaceholders(part.length, 7)}`,
      part.flatMap(({ dataset: d }) => [
        run.experimentId,
        d.name,
        d.digest,
        d.sourceType,
        d.source,
        d.schema ?? null,
        d.profile ?? null,
      ]),
    );
  }
  const ids = new Map<string, number>();
  for (const part of chunk(inputs, ROWS_PER_STATEMENT)) {
    const rows = await tx.select(
      `SELECT dataset_id, name, digest FROM datasets WHERE experiment_id = ? AND (${part.map(() => '(name = ? AND digest = ?)').join(' OR ')})`,
      [run.experimentId, ...part.flatMap(({ dataset: d }) => [d.name, d.digest])],
    );
    for (const row of rows) {
      ids.set(datasetKey(str(row.name), str(row.digest)), num(row.dataset_id));
    }
  }
  const wanted = inputs
    .map((input) => ({
      input,
      datasetId: ids.get(datasetKey(input.dataset.name, input.dataset.digest)),
    }))
    .filter(
      (link): link is { input: DatasetInput; datasetId: number } => link.datasetId !== undefined,
    )
    .sort((a, b) => a.datasetId - b.datasetId);
  if (wanted.length === 0) return;
  const linkedRows = await tx.select(
    `SELECT dataset_id FROM run_dataset_inputs WHERE run_id = ? AND dataset_id IN (${placeholders(wanted.length)})`,
    [run.pk, ...wanted.map((w) => w.datasetId)],
  );
  const linked = new Set(linkedRows.map((r) => num(r.dataset_id)));
  const fresh = wanted.filter((w) => !linked.has(w.datasetId));
  for (const part of chunk(fresh, ROWS_PER_STATEMENT)) {
    await tx.execute(
      `${tx.dialect.insertIgnore} run_dataset_inputs (run_id, dataset_id) VALUES ${rowPlaceholders(part.length, 2)}`,
      part.flatMap((w) => [run.pk, w.datasetId]),
    );
  }
  const tags = fresh.flatMap((w) =>
    dedupeTags(w.input.tags).map((t) => [run.pk, w.datasetId, t.key, t.value] as SqlValue[]),
  );
  for (const part of chunk(tags, ROWS_PER_STATEMENT)) {
    await tx.execute(
      `${tx.dialect.insertIgnore} run_dataset_input_tags (run_id, dataset_id, ${q('key')}, ${q('value')}) VALUES ${rowPlaceholders(part.length, 4)}`,
      part.flat(),
    );
  }
}

function dedupeTags(tags: KeyValue[]): KeyValue[] {
  const first = new Map<string, KeyValue>();
  for (const tag of tags) if (!first.has(tag.key)) first.set(tag.key, tag);
  return [...first.values()].sort(byKey);
}

function datasetKey(name: string, digest: string): string {
  return `${name}\u0000${digest}`;
}

function parseHistory(runId: string, value: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw MlflowError.invalidParameterValue(
    `The tag '${LOG_MODEL_HISTORY_TAG}' of run ${runId} is not a JSON list, so no model can be appended to it.`,
  );
}

/**
 * Python's `json.dumps` (", " and ": " separators, non-ASCII escaped), which is how MLflow writes
 * the log-model history tag and how clients expect to read it.
 */
function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  return 'null';
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byKey(a: { key: string }, b: { key: string }): number {
  return compareStrings(a.key, b.key);
}

/** Primary-key order of `metrics`: key, timestamp, step, value, is_nan. */
function byMetricRow(a: MetricRow, b: MetricRow): number {
  return (
    compareStrings(a.metric.key, b.metric.key) ||
    compareInt64(a.metric.timestamp, b.metric.timestamp) ||
    compareInt64(a.metric.step, b.metric.step) ||
    a.value - b.value ||
    a.isNan - b.isNan
  );
}
