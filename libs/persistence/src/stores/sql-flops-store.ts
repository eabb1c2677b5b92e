import {
  FLOPS_RUN_TAG_KEYS,
  FLOPS_RUN_TAG_PREFIX,
  FLOPS_TAGS,
  FlopsExperimentRecord,
  FlopsMetricRecord,
  FlopsParamRecord,
  FlopsProjectQuery,
  FlopsRunRecord,
  FlopsRunSelection,
  FlopsStore,
  FlopsSystemMetricRecord,
  KeyValue,
  NameAffixes,
  RUN_STATUSES,
  RunStatus,
  SYSTEM_METRIC_PREFIX,
} from '@app/domain';

import { Row, SqlExecutor, SqlValue } from '../sql-executor';
import { experimentKey, experimentKeys } from './experiment-lookup';
import { chunk, groupBy, num, placeholders, q, str } from './sql-helpers';

/** Below MariaDB's IN-to-subquery threshold (see run-rows.ts). */
const MAX_IDS_PER_STATEMENT = 500;
const LIKE_ESCAPE = '!';

/** `text` as a LIKE pattern matching itself literally. */
function likeLiteral(text: string): string {
  return text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
}

function nameLike({ prefix, suffix }: NameAffixes): string {
  return `${likeLiteral(prefix)}%${likeLiteral(suffix)}`;
}

const EXPERIMENT_COLUMNS =
  'e.experiment_id, e.name, e.lifecycle_stage, e.creation_time, e.last_update_time';

export class SqlFlopsStore extends FlopsStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async findProjects(query: FlopsProjectQuery): Promise<FlopsExperimentRecord[]> {
    const params: SqlValue[] = [nameLike(query.projectName), FLOPS_TAGS.projectId];
    let where = `e.lifecycle_stage = 'active' AND (e.name LIKE ? ESCAPE '${LIKE_ESCAPE}' OR EXISTS (SELECT 1 FROM experiment_tags pt WHERE pt.experiment_id = e.experiment_id AND pt.${q('key')} = ?))`;
    if (query.readableBy) {
      where += ` AND e.experiment_id IN (SELECT gp.experiment_id FROM experiment_permissions gp WHERE gp.user_id = ? AND gp.permission <> 'NO_PERMISSIONS')`;
      params.push(query.readableBy.userId);
      if (query.readableBy.experimentId !== undefined) {
        where += ' AND e.experiment_id = ?';
        params.push(experimentKey(query.readableBy.experimentId) ?? -1);
      }
    }
    if (query.nameContains !== undefined && query.nameContains !== '') {
      const contains = `%${likeLiteral(query.nameContains)}%`;
      where += ` AND (e.name LIKE ? ESCAPE '${LIKE_ESCAPE}' OR EXISTS (SELECT 1 FROM experiment_tags nt WHERE nt.experiment_id = e.experiment_id AND nt.${q('key')} = ? AND nt.${q('value')} LIKE ? ESCAPE '${LIKE_ESCAPE}'))`;
      params.push(contains, FLOPS_TAGS.projectId, contains);
    }
    const rows = await this.sql.select(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e WHERE ${where}`,
      params,
    );
    return this.withTags(rows);
  }

  async getExperiment(experimentId: string): Promise<FlopsExperimentRecord | null> {
    const key = experimentKey(experimentId);
    if (key === undefined) return null;
    const rows = await this.sql.select(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e WHERE e.experiment_id = ?`,
      [key],
    );
    return (await this.withTags(rows))[0] ?? null;
  }

  async getExperiments(experimentIds: string[]): Promise<FlopsExperimentRecord[]> {
    const keys = experimentKeys(experimentIds);
    if (keys.length === 0) return [];
    const rows: Row[] = [];
    for (const ids of chunk(keys, MAX_IDS_PER_STATEMENT)) {
      rows.push(
        ...(await this.sql.select(
          `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e WHERE e.experiment_id IN (${placeholders(ids.length)})`,
          ids,
        )),
      );
    }
    return this.withTags(rows);
  }

  async findRuns(experimentIds: string[]): Promise<FlopsRunRecord[]> {
    const keys = experimentKeys(experimentIds);
    if (keys.length === 0) return [];
    const runs: FlopsRunRecord[] = [];
    for (const ids of chunk(keys, MAX_IDS_PER_STATEMENT)) {
      const inList = `(${placeholders(ids.length)})`;
      const [runRows, tagRows, modelRows] = await Promise.all([
        this.sql.select(
          `SELECT r.id, r.run_uuid, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.artifact_uri FROM runs r WHERE r.experiment_id IN ${inList} AND r.lifecycle_stage = 'active'`,
          ids,
        ),
        this.sql.select(
          `SELECT t.run_id, t.${q('key')} AS k, t.${q('value')} AS v FROM run_tags t JOIN runs r ON r.id = t.run_id WHERE r.experiment_id IN ${inList} AND r.lifecycle_stage = 'active' AND (t.${q('key')} LIKE ? ESCAPE '${LIKE_ESCAPE}' OR t.${q('key')} IN (${placeholders(FLOPS_RUN_TAG_KEYS.length)}))`,
          [...ids, `${likeLiteral(FLOPS_RUN_TAG_PREFIX)}%`, ...FLOPS_RUN_TAG_KEYS],
        ),
        this.sql.select(
          `SELECT m.model_id, m.name, m.source_run_id FROM logged_models m WHERE m.experiment_id IN ${inList} AND m.lifecycle_stage = 'active' AND m.source_run_id IS NOT NULL`,
          ids,
        ),
      ]);
      const tags = groupBy(
        tagRows,
        (row) => num(row.run_id),
        (row): KeyValue => ({ key: str(row.k), value: str(row.v) }),
      );
      const models = groupBy(
        modelRows,
        (row) => str(row.source_run_id),
        (row) => ({ modelId: str(row.model_id), name: str(row.name) }),
      );
      for (const row of runRows) {
        const status = str(row.status);
        const runId = str(row.run_uuid);
        runs.push({
          runId,
          experimentId: String(num(row.experiment_id)),
          runName: str(row.name),
          status: (RUN_STATUSES as readonly string[]).includes(status)
            ? (status as RunStatus)
            : 'RUNNING',
          startTime: nullableNum(row.start_time),
          endTime: nullableNum(row.end_time),
          artifactUri: str(row.artifact_uri),
          tags: tags.get(num(row.id)) ?? [],
          loggedModels: models.get(runId) ?? [],
        });
      }
    }
    return runs;
  }

  async latestMetrics(
    runs: FlopsRunSelection,
    keys?: readonly string[],
  ): Promise<FlopsMetricRecord[]> {
    const keyFilter =
      keys === undefined
        ? { sql: `m.${q('key')} NOT LIKE ? ESCAPE '${LIKE_ESCAPE}'`, params: [systemLike()] }
        : { sql: `m.${q('key')} IN (${placeholders(keys.length)})`, params: [...keys] };
    if (keys !== undefined && keys.length === 0) return [];
    const rows = await this.perRuns(
      runs,
      (runFilter) =>
        `SELECT r.run_uuid, m.${q('key')} AS k, m.${q('value')} AS value, m.${q('timestamp')} AS ts, m.step, m.is_nan FROM latest_metrics m JOIN runs r ON r.id = m.run_id WHERE ${runFilter} AND ${keyFilter.sql}`,
      keyFilter.params,
    );
    return rows.map((row) => ({
      runId: str(row.run_uuid),
      key: str(row.k),
      value: num(row.is_nan) ? NaN : num(row.value),
      timestamp: num(row.ts),
      step: num(row.step),
    }));
  }

  async params(runs: FlopsRunSelection): Promise<FlopsParamRecord[]> {
    const rows = await this.perRuns(
      runs,
      (runFilter) =>
        `SELECT r.run_uuid, p.${q('key')} AS k, p.${q('value')} AS v FROM params p JOIN runs r ON r.id = p.run_id WHERE ${runFilter}`,
      [],
    );
    return rows.map((row) => ({
      runId: str(row.run_uuid),
      key: str(row.k),
      value: str(row.v),
    }));
  }

  async systemMetricSummaries(
    runs: FlopsRunSelection,
    keys?: readonly string[],
  ): Promise<FlopsSystemMetricRecord[]> {
    if (keys !== undefined && keys.length === 0) return [];
    // The keys of a run come from latest_metrics (one row per key), so the history is read by
    // its primary key (run_id, key, ...) rather than scanned for a key prefix.
    const keyFilter =
      keys === undefined
        ? { sql: `lm.${q('key')} LIKE ? ESCAPE '${LIKE_ESCAPE}'`, params: [systemLike()] }
        : { sql: `lm.${q('key')} IN (${placeholders(keys.length)})`, params: [...keys] };
    const rows = await this.perRuns(
      runs,
      (runFilter) =>
        `SELECT r.run_uuid, lm.${q('key')} AS k, AVG(CASE WHEN h.is_nan = 0 THEN h.${q('value')} END) AS mean, MAX(CASE WHEN h.is_nan = 0 THEN h.${q('value')} END) AS mx, COUNT(*) AS samples, MAX(h.${q('timestamp')}) AS last_ts FROM latest_metrics lm JOIN runs r ON r.id = lm.run_id JOIN metrics h ON h.run_id = lm.run_id AND h.${q('key')} = lm.${q('key')} WHERE ${runFilter} AND ${keyFilter.sql} GROUP BY r.run_uuid, lm.${q('key')}`,
      keyFilter.params,
    );
    return rows.map((row) => ({
      runId: str(row.run_uuid),
      key: str(row.k),
      mean: row.mean === null ? NaN : num(row.mean),
      max: row.mx === null ? NaN : num(row.mx),
      samples: num(row.samples),
      lastTimestamp: num(row.last_ts),
    }));
  }

  /**
   * Runs one statement per chunk of the selection; `build` gets the run filter (on `runs r`),
   * whose parameters come first.
   */
  private async perRuns(
    runs: FlopsRunSelection,
    build: (runFilter: string) => string,
    params: SqlValue[],
  ): Promise<Row[]> {
    const byExperiment = 'experimentIds' in runs;
    const ids: SqlValue[] = byExperiment ? experimentKeys(runs.experimentIds) : runs.runIds;
    if (ids.length === 0) return [];
    const rows: Row[] = [];
    for (const part of chunk(ids, MAX_IDS_PER_STATEMENT)) {
      const filter = byExperiment
        ? `r.experiment_id IN (${placeholders(part.length)}) AND r.lifecycle_stage = 'active'`
        : `r.run_uuid IN (${placeholders(part.length)})`;
      rows.push(...(await this.sql.select(build(filter), [...part, ...params])));
    }
    return rows;
  }

  private async withTags(rows: Row[]): Promise<FlopsExperimentRecord[]> {
    if (rows.length === 0) return [];
    const tags = new Map<number, KeyValue[]>();
    for (const ids of chunk(
      rows.map((r) => num(r.experiment_id)),
      MAX_IDS_PER_STATEMENT,
    )) {
      const tagRows = await this.sql.select(
        `SELECT experiment_id, ${q('key')} AS k, ${q('value')} AS v FROM experiment_tags WHERE experiment_id IN (${placeholders(ids.length)})`,
        ids,
      );
      for (const [id, list] of groupBy(
        tagRows,
        (row) => num(row.experiment_id),
        (row): KeyValue => ({ key: str(row.k), value: str(row.v) }),
      )) {
        tags.set(id, list);
      }
    }
    return rows.map((row) => ({
      experimentId: String(num(row.experiment_id)),
      name: str(row.name),
      lifecycleStage: str(row.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
      creationTime: num(row.creation_time),
      lastUpdateTime: num(row.last_update_time),
      tags: tags.get(num(row.experiment_id)) ?? [],
    }));
  }
}

function systemLike(): string {
  return `${likeLiteral(SYSTEM_METRIC_PREFIX)}%`;
}

function nullableNum(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}
