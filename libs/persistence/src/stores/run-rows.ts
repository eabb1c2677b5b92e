import {
  DatasetInput,
  KeyValue,
  Metric,
  ModelOutput,
  Run,
  RUN_STATUSES,
  RunInfo,
  RunStatus,
  toInt64,
} from '@app/domain';

import { Row, SqlRunner } from '../sql-executor';
import { chunk, groupBy, num, placeholders, q, str } from './sql-helpers';

/** Columns of `runs r` every run read selects (`id` is the internal surrogate key). */
export const RUN_COLUMNS =
  'r.id, r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage, r.artifact_uri';

export interface RunRow {
  pk: number;
  info: RunInfo;
}

export function toRunRow(row: Row): RunRow {
  const status = str(row.status);
  return {
    pk: num(row.id),
    info: {
      runId: str(row.run_uuid),
      experimentId: String(num(row.experiment_id)),
      runName: str(row.name),
      userId: str(row.user_id),
      status: (RUN_STATUSES as readonly string[]).includes(status)
        ? (status as RunStatus)
        : 'RUNNING',
      startTime:
        row.start_time === null || row.start_time === undefined ? null : toInt64(row.start_time),
      endTime: row.end_time === null || row.end_time === undefined ? null : toInt64(row.end_time),
      artifactUri: str(row.artifact_uri),
      lifecycleStage: str(row.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
    },
  };
}

export function toMetric(row: Row): Metric {
  return {
    key: str(row.k),
    value: num(row.is_nan) ? NaN : num(row.value),
    timestamp: toInt64(row.timestamp),
    step: toInt64(row.step),
  };
}

/**
 * MariaDB turns an IN list of 1000 values or more into a subquery
 * (`in_predicate_conversion_threshold`), and for the child tables that plan can scan the whole
 * table: 26 ms with 999 ids, 3 s with 1000 (bench/FINDINGS.md). 1000 is the Python client's page.
 */
const MAX_RUNS_PER_HYDRATION = 500;

/**
 * Full runs (latest metrics, params, tags, dataset inputs, model outputs) for already-selected run
 * rows, in their order: one query per child table for the whole page, never one per run.
 */
export async function hydrateRuns(runner: SqlRunner, runs: RunRow[]): Promise<Run[]> {
  if (runs.length === 0) return [];
  if (runs.length > MAX_RUNS_PER_HYDRATION) {
    const hydrated: Run[] = [];
    for (const part of chunk(runs, MAX_RUNS_PER_HYDRATION)) {
      hydrated.push(...(await hydrateRuns(runner, part)));
    }
    return hydrated;
  }
  const pks = runs.map((r) => r.pk);
  const inList = `(${placeholders(pks.length)})`;
  const [metricRows, paramRows, tagRows, datasetRows, inputTagRows, outputRows, modelInputRows] =
    await Promise.all([
      runner.select(
        `SELECT run_id, ${q('key')} AS k, ${q('value')} AS value, ${q('timestamp')} AS timestamp, step, is_nan FROM latest_metrics WHERE run_id IN ${inList} ORDER BY run_id, ${q('key')}`,
        pks,
      ),
      runner.select(
        `SELECT run_id, ${q('key')} AS k, ${q('value')} AS v FROM params WHERE run_id IN ${inList} ORDER BY run_id, ${q('key')}`,
        pks,
      ),
      runner.select(
        `SELECT run_id, ${q('key')} AS k, ${q('value')} AS v FROM run_tags WHERE run_id IN ${inList} ORDER BY run_id, ${q('key')}`,
        pks,
      ),
      runner.select(
        `SELECT i.run_id, d.dataset_id, d.name, d.digest, d.source_type, d.source, d.dataset_schema, d.profile FROM run_dataset_inputs i JOIN datasets d ON d.dataset_id = i.dataset_id WHERE i.run_id IN ${inList} ORDER BY d.dataset_id`,
        pks,
      ),
      runner.select(
        `SELECT run_id, dataset_id, ${q('key')} AS k, ${q('value')} AS v FROM run_dataset_input_tags WHERE run_id IN ${inList} ORDER BY ${q('key')}`,
        pks,
      ),
      runner.select(
        `SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id IN ${inList} ORDER BY model_id`,
        pks,
      ),
      runner.select(
        `SELECT run_id, model_id FROM run_model_inputs WHERE run_id IN ${inList} ORDER BY model_id`,
        pks,
      ),
    ]);
  const metrics = groupBy(metricRows, runKey, toMetric);
  const params = groupBy(paramRows, runKey, keyValue);
  const tags = groupBy(tagRows, runKey, keyValue);
  const outputs = groupBy(outputRows, runKey, (r): ModelOutput => ({
    modelId: str(r.model_id),
    step: toInt64(r.step),
  }));
  const modelInputs = groupBy(modelInputRows, runKey, (r) => ({ modelId: str(r.model_id) }));
  const inputTags = new Map<string, KeyValue[]>();
  for (const row of inputTagRows) {
    const id = `${num(row.run_id)}:${num(row.dataset_id)}`;
    inputTags.set(id, [...(inputTags.get(id) ?? []), keyValue(row)]);
  }
  const datasets = groupBy(datasetRows, runKey, (r): DatasetInput => ({
    tags: inputTags.get(`${num(r.run_id)}:${num(r.dataset_id)}`) ?? [],
    dataset: {
      name: str(r.name),
      digest: str(r.digest),
      sourceType: str(r.source_type),
      source: str(r.source),
      schema: r.dataset_schema === null ? null : str(r.dataset_schema),
      profile: r.profile === null ? null : str(r.profile),
    },
  }));
  return runs.map(({ pk, info }) => ({
    info,
    data: {
      metrics: metrics.get(pk) ?? [],
      params: params.get(pk) ?? [],
      tags: tags.get(pk) ?? [],
    },
    inputs: { datasetInputs: datasets.get(pk) ?? [], modelInputs: modelInputs.get(pk) ?? [] },
    outputs: { modelOutputs: outputs.get(pk) ?? [] },
  }));
}

function keyValue(row: Row): KeyValue {
  return { key: str(row.k), value: str(row.v) };
}

function runKey(row: Row): number {
  return num(row.run_id);
}
