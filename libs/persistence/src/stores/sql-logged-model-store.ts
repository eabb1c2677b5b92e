import { randomUUID } from 'node:crypto';

import {
  CreateLoggedModelInput,
  FilterClause,
  KeyValue,
  LOGGED_MODEL_STATUSES,
  LoggedModel,
  LoggedModelDatasetFilter,
  loggedModelNotFound,
  LoggedModelOrderByClause,
  LoggedModelStatus,
  LoggedModelStore,
  MlflowError,
  pythonRepr,
  RunMetric,
  runNotFound,
  SearchLoggedModelsQuery,
} from '@app/domain';

import { Row, SqlExecutor, SqlRunner, SqlValue } from '../sql-executor';
import { requireReadableExperiment } from './access-predicates';
import { joinArtifactRoot } from './artifact-locations';
import { activeExperimentLocation, experimentKeys } from './experiment-lookup';
import { toMetric } from './run-rows';
import { comparisonSql, SearchColumns, SearchStatement, unsupported } from './search-builder';
import { chunk, num, placeholders, q, rowPlaceholders, str, strOrNull } from './sql-helpers';
import { groupBy } from './sql-helpers';

const MODEL_FIELDS = [
  'model_id',
  'experiment_id',
  'name',
  'artifact_location',
  'creation_timestamp_ms',
  'last_updated_timestamp_ms',
  'status',
  'status_message',
  'model_type',
  'source_run_id',
  'lifecycle_stage',
];
const MODEL_COLUMNS = MODEL_FIELDS.map((f) => `lm.${f}`).join(', ');

/**
 * Filterable attributes (canonical keys from the filter parser). An absent model type or source
 * run compares as '' because MLflow stores the empty string the request carried, so
 * `model_type != 'x'` also matches models without a type there.
 */
const ATTRIBUTE_COLUMNS: Readonly<Record<string, string>> = {
  name: 'lm.name',
  model_id: 'lm.model_id',
  model_type: "COALESCE(lm.model_type, '')",
  status: 'lm.status',
  source_run_id: "COALESCE(lm.source_run_id, '')",
  creation_timestamp: 'lm.creation_timestamp_ms',
  last_updated_timestamp: 'lm.last_updated_timestamp_ms',
};

/** Sort expressions; names sort case-insensitively on both dialects, as runs/search does. */
const ORDER_EXPRESSIONS: Readonly<Record<string, string>> = {
  name: 'LOWER(lm.name)',
  model_id: 'lm.model_id',
  model_type: 'LOWER(lm.model_type)',
  status: 'lm.status',
  source_run_id: 'lm.source_run_id',
  creation_timestamp: 'lm.creation_timestamp_ms',
  last_updated_timestamp: 'lm.last_updated_timestamp_ms',
};

const LOGGED_MODEL_SEARCH: SearchColumns = {
  filterable: ATTRIBUTE_COLUMNS,
  orderable: Object.fromEntries(
    Object.entries(ORDER_EXPRESSIONS).map(([key, expression]) => [
      key,
      { expression, nullable: true },
    ]),
  ),
  keyValues: {
    param: { table: 'logged_model_params', ownerMatch: (a) => `${a}.model_id = lm.model_id` },
    tag: { table: 'logged_model_tags', ownerMatch: (a) => `${a}.model_id = lm.model_id` },
  },
};

/** Rows per multi-row INSERT (3 placeholders each). */
const INSERT_CHUNK = 300;

export class SqlLoggedModelStore extends LoggedModelStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel> {
    const modelId = `m-${randomUUID().replace(/-/g, '')}`;
    const now = Date.now();
    return this.sql.transaction(async (tx) => {
      const artifactRoot = await activeExperimentLocation(tx, input.experimentId);
      if (input.sourceRunId !== null) await requireRun(tx, input.sourceRunId);
      await tx.execute(
        `INSERT INTO logged_models (${MODEL_FIELDS.join(', ')}) VALUES (${placeholders(MODEL_FIELDS.length)})`,
        [
          modelId,
          num(input.experimentId),
          input.name,
          joinArtifactRoot(artifactRoot, 'models', modelId, 'artifacts'),
          now,
          now,
          'LOGGED_MODEL_PENDING',
          null,
          input.modelType,
          input.sourceRunId,
          'active',
        ],
      );
      await insertKeyValues(tx, 'logged_model_params', modelId, input.params, 'ignore');
      await insertKeyValues(tx, 'logged_model_tags', modelId, input.tags, 'upsert');
      return (await loadModels(tx, [modelId]))[0];
    });
  }

  async getLoggedModel(modelId: string, allowDeleted = false): Promise<LoggedModel> {
    const [model] = await loadModels(this.sql, [modelId]);
    if (!model || (model.lifecycleStage !== 'active' && !allowDeleted)) throw notFound(modelId);
    return model;
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const rows = await tx.select('SELECT lifecycle_stage FROM logged_models WHERE model_id = ?', [
        modelId,
      ]);
      if (rows.length === 0) throw notFound(modelId);
      if (str(rows[0].lifecycle_stage) === 'deleted') return;
      await tx.execute(
        'UPDATE logged_models SET lifecycle_stage = ?, last_updated_timestamp_ms = ? WHERE model_id = ?',
        ['deleted', Date.now(), modelId],
      );
    });
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    return this.sql.transaction(async (tx) => {
      await requireActiveModel(tx, modelId);
      await tx.execute(
        'UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?',
        [status, Date.now(), modelId],
      );
      return (await loadModels(tx, [modelId]))[0];
    });
  }

  async setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await requireActiveModel(tx, modelId);
      if (tags.length === 0) return;
      await insertKeyValues(tx, 'logged_model_tags', modelId, tags, 'upsert');
      await touch(tx, modelId);
    });
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await requireActiveModel(tx, modelId);
      const { affectedRows } = await tx.execute(
        `DELETE FROM logged_model_tags WHERE model_id = ? AND ${q('key')} = ?`,
        [modelId, key],
      );
      if (affectedRows === 0) {
        throw MlflowError.resourceDoesNotExist(
          `No tag with key ${pythonRepr(key)} found for model with ID ${pythonRepr(modelId)}.`,
        );
      }
      await touch(tx, modelId);
    });
  }

  async logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await requireActiveModel(tx, modelId);
      if (params.length === 0) return;
      const logged = new Map<string, string>();
      for (const keys of chunk(
        params.map((p) => p.key),
        500,
      )) {
        const rows = await tx.select(
          `SELECT ${q('key')} AS k, ${q('value')} AS v FROM logged_model_params WHERE model_id = ? AND ${q('key')} IN (${placeholders(keys.length)})`,
          [modelId, ...keys],
        );
        for (const row of rows) logged.set(str(row.k), str(row.v));
      }
      for (const param of params) {
        const old = logged.get(param.key);
        if (old !== undefined && old !== param.value) {
          throw MlflowError.invalidParameterValue(
            `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${old}' for logged model ID='${modelId}'. Attempted logging new value '${param.value}'.`,
          );
        }
      }
      const fresh = params.filter((p) => !logged.has(p.key));
      if (fresh.length === 0) return;
      await insertKeyValues(tx, 'logged_model_params', modelId, fresh, 'ignore');
      await touch(tx, modelId);
    });
  }

  async searchLoggedModels(
    query: SearchLoggedModelsQuery,
  ): Promise<{ items: LoggedModel[]; hasMore: boolean }> {
    const experimentIds = experimentKeys(query.experimentIds);
    if (experimentIds.length === 0 || query.maxResults <= 0) return { items: [], hasMore: false };
    const search = new SearchStatement();
    search.require("lm.lifecycle_stage = 'active'");
    search.require(`lm.experiment_id IN (${placeholders(experimentIds.length)})`, experimentIds);
    for (const clause of query.filter) {
      if (clause.type === 'metric') {
        filterByLatestMetric(search, clause, experimentIds, query.datasets);
      } else if (clause.type === 'dataset' || !search.filterBy(LOGGED_MODEL_SEARCH, clause)) {
        throw unsupported(`datasets.${clause.key}`);
      }
    }
    if (query.datasets.length > 0 && !query.filter.some((c) => c.type === 'metric')) {
      // MLflow: datasets without a metric clause keep the models with any point on them.
      const params: SqlValue[] = [];
      const onDatasets = datasetCondition('d', query.datasets, params);
      search.whereSql(
        `EXISTS (SELECT 1 FROM logged_model_metrics d WHERE d.model_id = lm.model_id AND ${onDatasets})`,
        params,
      );
    }
    for (const clause of query.orderBy) {
      if (clause.type === 'metric') {
        sortByLatestMetric(search, clause, experimentIds);
      } else if (clause.type !== 'attribute' || !search.sortBy(LOGGED_MODEL_SEARCH, clause)) {
        throw unsupported(`order_by ${clause.type}.${clause.key}`);
      }
    }
    requireReadableExperiment(search, query.readableBy, 'lm.experiment_id');
    const statement = search.page(MODEL_COLUMNS, 'logged_models lm', query);
    const rows = await this.sql.select(statement.sql, statement.params);
    const page = rows.slice(0, query.maxResults);
    return { items: await hydrate(this.sql, page), hasMore: rows.length > query.maxResults };
  }
}

/** Keeps models whose latest point of the key satisfies the clause; a NaN latest value never does. */
function filterByLatestMetric(
  search: SearchStatement,
  clause: FilterClause,
  experimentIds: number[],
  datasets: LoggedModelDatasetFilter[],
): void {
  const a = search.alias('f');
  const params: SqlValue[] = [];
  const latest = latestMetric(clause.key, datasets, experimentIds, params);
  const condition = comparisonSql(`${a}.latest_value`, clause.comparator, clause.value, params);
  search.join(
    'filter',
    `JOIN ${latest} ${a} ON ${a}.model_id = lm.model_id AND ${a}.latest_is_nan = 0 AND ${condition}`,
    params,
  );
}

/** Real numbers, then NaN, then models without the metric, in both directions. */
function sortByLatestMetric(
  search: SearchStatement,
  clause: LoggedModelOrderByClause,
  experimentIds: number[],
): void {
  const a = search.alias('o');
  const params: SqlValue[] = [];
  const latest = latestMetric(
    clause.key,
    clause.dataset ? [clause.dataset] : [],
    experimentIds,
    params,
  );
  search.join('order', `LEFT JOIN ${latest} ${a} ON ${a}.model_id = lm.model_id`, params);
  search.order.push(
    {
      expression: `CASE WHEN ${a}.model_id IS NULL THEN 2 WHEN ${a}.latest_is_nan = 1 THEN 1 ELSE 0 END`,
      direction: 'ASC',
    },
    { expression: `${a}.latest_value`, direction: clause.ascending ? 'ASC' : 'DESC' },
  );
}

/**
 * A derived table (model_id, latest_value, latest_is_nan) holding each model's latest point of
 * `key` among the points on `datasets` (all points when none), scoped to the searched
 * experiments. Pushes its values onto `params`.
 */
function latestMetric(
  key: string,
  datasets: LoggedModelDatasetFilter[],
  experimentIds: number[],
  params: SqlValue[],
): string {
  params.push(key);
  const onDatasets = datasets.length > 0 ? ` AND ${datasetCondition('m', datasets, params)}` : '';
  params.push(...experimentIds);
  return (
    '(SELECT ranked.model_id, ranked.latest_value, ranked.latest_is_nan FROM (' +
    `SELECT m.model_id, m.${q('value')} AS latest_value, m.is_nan AS latest_is_nan,` +
    ` ROW_NUMBER() OVER (PARTITION BY m.model_id ORDER BY m.step DESC, m.${q('timestamp')} DESC, m.is_nan ASC, m.${q('value')} DESC) AS rn` +
    ` FROM logged_model_metrics m WHERE m.${q('key')} = ?${onDatasets}` +
    ` AND m.model_id IN (SELECT s.model_id FROM logged_models s WHERE s.experiment_id IN (${placeholders(experimentIds.length)}))` +
    ') ranked WHERE ranked.rn = 1)'
  );
}

/** `(name = ? [AND digest = ?]) OR …` over the metric rows aliased `alias`. */
function datasetCondition(
  alias: string,
  datasets: LoggedModelDatasetFilter[],
  params: SqlValue[],
): string {
  const terms = datasets.map((dataset) => {
    params.push(dataset.datasetName);
    if (dataset.datasetDigest === undefined) return `${alias}.dataset_name = ?`;
    params.push(dataset.datasetDigest);
    return `(${alias}.dataset_name = ? AND ${alias}.dataset_digest = ?)`;
  });
  return `(${terms.join(' OR ')})`;
}

async function requireRun(tx: SqlRunner, runId: string): Promise<void> {
  const rows = await tx.select('SELECT 1 AS found FROM runs WHERE run_uuid = ?', [runId]);
  if (rows.length === 0) throw runNotFound(runId);
}

async function requireActiveModel(tx: SqlRunner, modelId: string): Promise<void> {
  const rows = await tx.select('SELECT lifecycle_stage FROM logged_models WHERE model_id = ?', [
    modelId,
  ]);
  if (rows.length === 0 || str(rows[0].lifecycle_stage) !== 'active') throw notFound(modelId);
}

async function touch(tx: SqlRunner, modelId: string): Promise<void> {
  await tx.execute('UPDATE logged_models SET last_updated_timestamp_ms = ? WHERE model_id = ?', [
    Date.now(),
    modelId,
  ]);
}

/** Multi-row insert of (model_id, key, value): new keys only, or upserting the value. */
async function insertKeyValues(
  tx: SqlRunner,
  table: 'logged_model_params' | 'logged_model_tags',
  modelId: string,
  entries: KeyValue[],
  mode: 'ignore' | 'upsert',
): Promise<void> {
  for (const rows of chunk(entries, INSERT_CHUNK)) {
    const params: SqlValue[] = [];
    for (const entry of rows) params.push(modelId, entry.key, entry.value);
    const columns = `(model_id, ${q('key')}, ${q('value')}) VALUES ${rowPlaceholders(rows.length, 3)}`;
    await tx.execute(
      mode === 'ignore'
        ? `${tx.dialect.insertIgnore} ${table} ${columns}`
        : `INSERT INTO ${table} ${columns} ${tx.dialect.upsert(['model_id', 'key'], ['value'])}`,
      params,
    );
  }
}

/** Models (any lifecycle stage) with their tags, params and metrics, in the order of `modelIds`. */
async function loadModels(runner: SqlRunner, modelIds: string[]): Promise<LoggedModel[]> {
  if (modelIds.length === 0) return [];
  const rows = await runner.select(
    `SELECT ${MODEL_COLUMNS} FROM logged_models lm WHERE lm.model_id IN (${placeholders(modelIds.length)})`,
    modelIds,
  );
  const byId = new Map<string, Row>(rows.map((row) => [str(row.model_id), row]));
  return hydrate(
    runner,
    modelIds.flatMap((id): Row[] => {
      const row = byId.get(id);
      return row ? [row] : [];
    }),
  );
}

/** Children of already-selected model rows: one query per child table for the whole page. */
async function hydrate(runner: SqlRunner, rows: Row[]): Promise<LoggedModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => str(row.model_id));
  const inList = `(${placeholders(ids.length)})`;
  const [tagRows, paramRows, metricRows] = await Promise.all([
    runner.select(
      `SELECT model_id, ${q('key')} AS k, ${q('value')} AS v FROM logged_model_tags WHERE model_id IN ${inList} ORDER BY ${q('key')}`,
      ids,
    ),
    runner.select(
      `SELECT model_id, ${q('key')} AS k, ${q('value')} AS v FROM logged_model_params WHERE model_id IN ${inList} ORDER BY ${q('key')}`,
      ids,
    ),
    runner.select(
      `SELECT model_id, ${q('key')} AS k, ${q('value')} AS value, ${q('timestamp')} AS timestamp, step, is_nan, run_id, dataset_name, dataset_digest` +
        ` FROM logged_model_metrics WHERE model_id IN ${inList} ORDER BY ${q('key')}, step, ${q('timestamp')}, run_id`,
      ids,
    ),
  ]);
  const tags = groupBy(tagRows, modelKey, keyValue);
  const params = groupBy(paramRows, modelKey, keyValue);
  const metrics = groupBy(metricRows, modelKey, (row): RunMetric => ({
    ...toMetric(row),
    runId: str(row.run_id),
    modelId: str(row.model_id),
    datasetName: strOrNull(row.dataset_name),
    datasetDigest: strOrNull(row.dataset_digest),
  }));
  return rows.map((row) => {
    const id = str(row.model_id);
    const status = str(row.status);
    return {
      modelId: id,
      experimentId: String(num(row.experiment_id)),
      name: str(row.name),
      artifactLocation: str(row.artifact_location),
      creationTimestampMs: num(row.creation_timestamp_ms),
      lastUpdatedTimestampMs: num(row.last_updated_timestamp_ms),
      status: (LOGGED_MODEL_STATUSES as readonly string[]).includes(status)
        ? (status as LoggedModelStatus)
        : 'LOGGED_MODEL_STATUS_UNSPECIFIED',
      statusMessage: strOrNull(row.status_message),
      modelType: strOrNull(row.model_type),
      sourceRunId: strOrNull(row.source_run_id),
      lifecycleStage: str(row.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
      tags: tags.get(id) ?? [],
      params: params.get(id) ?? [],
      metrics: metrics.get(id) ?? [],
    };
  });
}

function keyValue(row: Row): KeyValue {
  return { key: str(row.k), value: str(row.v) };
}

const notFound = loggedModelNotFound;

function modelKey(row: Row): string {
  return str(row.model_id);
}
