import { Injectable } from '@nestjs/common';

import {
  DatasetInput,
  fieldPath,
  fitValue,
  generateRunName,
  Int64,
  KeyValue,
  lastValuePerKey,
  lengthError,
  LIMITS,
  Metric,
  MlflowError,
  ModelOutput,
  ownerOf,
  ParamValueChangedError,
  Principal,
  pythonRepr,
  Run,
  RUN_NAME_TAG,
  RunInfo,
  RunStatus,
  RunStore,
  validateKey,
  validateRunId,
} from '@app/domain';

import { LearnerPrivacyService } from '../learner-privacy/learner-privacy.service';
import { TrackingOptions } from '../tracking-options';

export interface CreateRunParams {
  experimentId?: string;
  userId?: string;
  runName?: string;
  startTime?: Int64;
  tags: KeyValue[];
  caller: Principal;
}

export interface UpdateRunParams {
  status?: RunStatus;
  endTime?: Int64;
  runName?: string;
}

export interface LogBatchParams {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

const MODEL_JSON_REQUIRED_FIELDS = ['artifact_path', 'flavors', 'run_id', 'utc_time_created'];
/** What `Model.get_tags_dict()` leaves out of the log-model history. */
const MODEL_JSON_OMITTED_FIELDS = new Set(['signature', 'saved_input_example_info']);

/**
 * Runs, which FLOps calls training rounds: MLflow's request rules on top of the RunStore port.
 * Everything is validated before the store is called, so a refused request writes nothing; the
 * learner-privacy rule comes last, after MLflow's own checks.
 * log-metric, log-parameter and set-tag are one-entry log-batches, as in MLflow's AbstractStore
 * (log-metric through the store's cheaper single-point write with the same semantics).
 */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunStore,
    private readonly options: TrackingOptions,
    private readonly privacy: LearnerPrivacyService,
  ) {}

  /**
   * The name is `run_name`, else the mlflow.runName tag, else generated; the tag is always
   * stored. A missing experiment id means the Default experiment, and a missing start time now.
   */
  async create(params: CreateRunParams): Promise<Run> {
    const tags = lastValuePerKey(params.tags.map((t, i) => this.checkTag(t, `tags[${i}]`)));
    const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (params.runName && tagName && params.runName !== tagName) {
      throw MlflowError.invalidParameterValue(
        `Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different values (run_name='${params.runName}', ${RUN_NAME_TAG}='${tagName}').`,
      );
    }
    const runName = params.runName || tagName || generateRunName();
    checkRunName(runName);
    // Signed in, the run belongs to who created it, not to whatever OS user the client names.
    const userId = ownerOf(params.caller)?.username ?? params.userId ?? '';
    if (userId.length > LIMITS.maxUserIdLength) {
      throw lengthError('user_id', userId.length, LIMITS.maxUserIdLength);
    }
    this.privacy.check({ tags });
    return this.runs.createRun({
      experimentId: params.experimentId || '0',
      userId,
      runName,
      startTime: params.startTime ?? Date.now(),
      tags: tagName
        ? tags
        : [...tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: runName }],
    });
  }

  async get(runId: string): Promise<Run> {
    validateRunId(runId);
    return this.runs.getRun(runId);
  }

  /** Only the fields given change; an empty run_name is ignored, as MLflow does. */
  async update(runId: string, params: UpdateRunParams): Promise<RunInfo> {
    validateRunId(runId);
    const runName = params.runName || undefined;
    if (runName !== undefined) checkRunName(runName);
    return this.runs.updateRun(runId, { status: params.status, endTime: params.endTime, runName });
  }

  async delete(runId: string): Promise<void> {
    validateRunId(runId);
    return this.runs.deleteRun(runId);
  }

  async restore(runId: string): Promise<void> {
    validateRunId(runId);
    return this.runs.restoreRun(runId);
  }

  async logMetric(runId: string, metric: Metric): Promise<void> {
    validateRunId(runId);
    checkMetric(metric, '');
    this.privacy.check({ metrics: [metric] });
    return this.runs.logMetric(runId, metric);
  }

  async logParam(runId: string, param: KeyValue): Promise<void> {
    validateRunId(runId);
    const checked = this.checkParam(param, '');
    this.privacy.check({ params: [checked] });
    try {
      await this.runs.logBatch(runId, { metrics: [], params: [checked], tags: [] });
    } catch (error) {
      // MLflow words the refusal differently for log-parameter than for log-batch.
      if (error instanceof ParamValueChangedError) throw error.singleParamError();
      throw error;
    }
  }

  async setTag(runId: string, tag: KeyValue): Promise<void> {
    validateRunId(runId);
    const checked = this.checkTag(tag, '');
    this.privacy.check({ tags: [checked] });
    return this.runs.logBatch(runId, { metrics: [], params: [], tags: [checked] });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateRunId(runId);
    return this.runs.deleteTag(runId, key);
  }

  /**
   * MLflow's order: run id, each entry, the batch limits, duplicate param keys; then the
   * learner-privacy rule. One refused key refuses the whole batch.
   */
  async logBatch(runId: string, batch: LogBatchParams): Promise<void> {
    validateRunId(runId);
    return this.runs.logBatch(runId, this.checkBatch(batch));
  }

  /** A batch as log-batch stores it, checked without touching the store. */
  checkBatch(batch: LogBatchParams): LogBatchParams {
    batch.metrics.forEach((m, i) => checkMetric(m, `metrics[${i}]`));
    const params = batch.params.map((p, i) => this.checkParam(p, `params[${i}]`));
    const tags = batch.tags.map((t, i) => this.checkTag(t, `tags[${i}]`));
    checkBatchLimits(batch.metrics.length, params.length, tags.length);
    checkUniqueParamKeys(params);
    this.privacy.check({ metrics: batch.metrics, params, tags });
    return { metrics: batch.metrics, params, tags: lastValuePerKey(tags) };
  }

  /** 2.x log_model: the MLmodel dict is appended to the run's mlflow.log-model.history tag. */
  async logModel(runId: string, modelJson: string): Promise<void> {
    validateRunId(runId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(modelJson);
    } catch {
      throw MlflowError.invalidParameterValue(
        `Malformed model info. \n ${modelJson} \n is not a valid JSON.`,
      );
    }
    const model =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    const missing = MODEL_JSON_REQUIRED_FIELDS.filter((field) => !(field in model));
    if (missing.length > 0) {
      throw MlflowError.invalidParameterValue(
        `Model json is missing mandatory fields: {${missing.map(pythonRepr).join(', ')}}`,
      );
    }
    const entry = Object.fromEntries(
      Object.entries(model).filter(([k, v]) => !MODEL_JSON_OMITTED_FIELDS.has(k) && v !== null),
    );
    return this.runs.appendLoggedModelHistory(runId, entry);
  }

  async logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void> {
    validateRunId(runId);
    datasets.forEach(checkDatasetInput);
    modelIds.forEach(checkModelId);
    this.privacy.check({ inputTags: datasets.flatMap((d) => d.tags) });
    return this.runs.logInputs(runId, datasets, modelIds);
  }

  async logOutputs(runId: string, models: ModelOutput[]): Promise<void> {
    validateRunId(runId);
    models.forEach((m) => checkModelId(m.modelId));
    return this.runs.logOutputs(runId, models);
  }

  private checkParam(param: KeyValue, path: string): KeyValue {
    validateKey('param', param.key, fieldPath(path, 'key'));
    return {
      key: param.key,
      value: fitValue(
        'Param value',
        param.value,
        LIMITS.maxParamValueLength,
        this.options.truncateLongValues,
      ),
    };
  }

  private checkTag(tag: KeyValue, path: string): KeyValue {
    validateKey('tag', tag.key, fieldPath(path, 'key'));
    const value = fitValue(
      'Tag value',
      tag.value,
      LIMITS.maxRunTagValueLength,
      this.options.truncateLongValues,
    );
    if (tag.key === RUN_NAME_TAG) checkRunName(value);
    return { key: tag.key, value };
  }
}

function checkRunName(name: string): void {
  if (name.length > LIMITS.maxRunNameLength) {
    throw lengthError('run_name', name.length, LIMITS.maxRunNameLength);
  }
}

/** MLflow's `_validate_metric` (value types are already enforced by the request DTO). */
function checkMetric(metric: Metric, path: string): void {
  validateKey('metric', metric.key, fieldPath(path, 'name'));
  if (metric.timestamp < 0) {
    throw MlflowError.invalidParameterValue(
      `Invalid value ${metric.timestamp} for parameter '${fieldPath(path, 'timestamp')}' supplied: metric '${metric.key}' (value=${pythonFloat(metric.value)}). Timestamp must be a nonnegative long (64-bit integer) `,
    );
  }
  if (metric.modelId) checkModelId(metric.modelId);
  if (metric.datasetName && metric.datasetName.length > LIMITS.maxDatasetNameLength) {
    throw lengthError('dataset_name', metric.datasetName.length, LIMITS.maxDatasetNameLength);
  }
  if (metric.datasetDigest && metric.datasetDigest.length > LIMITS.maxDatasetDigestLength) {
    throw lengthError('dataset_digest', metric.datasetDigest.length, LIMITS.maxDatasetDigestLength);
  }
}

function checkBatchLimits(metrics: number, params: number, tags: number): void {
  checkBatchLimit('metrics', LIMITS.maxMetricsPerBatch, metrics);
  checkBatchLimit('params', LIMITS.maxParamsTagsPerBatch, params);
  checkBatchLimit('tags', LIMITS.maxParamsTagsPerBatch, tags);
  checkBatchLimit('metrics, params, and tags', LIMITS.maxEntitiesPerBatch, metrics + params + tags);
}

function checkBatchLimit(entities: string, limit: number, count: number): void {
  if (count > limit) {
    throw MlflowError.invalidParameterValue(
      `A batch logging request can contain at most ${limit} ${entities}. Got ${count} ${entities}. Please split up ${entities} across multiple requests and try again.`,
    );
  }
}

/** Any repeated key is refused, even with the same value (MLflow's `_validate_param_keys_unique`). */
function checkUniqueParamKeys(params: KeyValue[]): void {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const { key } of params) {
    if (seen.has(key)) duplicates.push(key);
    seen.add(key);
  }
  if (duplicates.length > 0) {
    throw MlflowError.invalidParameterValue(
      `Duplicate parameter keys have been submitted: [${duplicates.map(pythonRepr).join(', ')}]. Please ensure the request contains only one param value per param key.`,
    );
  }
}

/** MLflow's `_validate_dataset` and `_validate_input_tag` limits. */
function checkDatasetInput(input: DatasetInput): void {
  const { dataset } = input;
  const limits: [string, string | null | undefined, number][] = [
    ['name', dataset.name, LIMITS.maxDatasetNameLength],
    ['digest', dataset.digest, LIMITS.maxDatasetDigestLength],
    ['source_type', dataset.sourceType, LIMITS.maxDatasetSourceTypeLength],
    ['source', dataset.source, LIMITS.maxDatasetSourceLength],
    ['schema', dataset.schema, LIMITS.maxDatasetSchemaLength],
    ['profile', dataset.profile, LIMITS.maxDatasetProfileLength],
  ];
  for (const tag of input.tags) {
    limits.push(['key', tag.key, LIMITS.maxInputTagKeyLength]);
    limits.push(['value', tag.value, LIMITS.maxInputTagValueLength]);
  }
  for (const [label, value, limit] of limits) {
    if (value && value.length > limit) throw lengthError(label, value.length, limit);
  }
}

function checkModelId(modelId: string): void {
  if (modelId.length > LIMITS.maxModelIdLength) {
    throw lengthError('model_id', modelId.length, LIMITS.maxModelIdLength);
  }
}

/** A double as Python prints it in MLflow's messages (`1.0`, `nan`, `inf`). */
function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value);
}
