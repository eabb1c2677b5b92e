import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import {
  decodePageToken,
  fitValue,
  generateRunName,
  KeyValue,
  lengthError,
  LIMITS,
  LoggedModel,
  LoggedModelDatasetFilter,
  loggedModelOrderBy,
  LoggedModelOrderByClause,
  LoggedModelStatus,
  LoggedModelStore,
  MlflowError,
  Page,
  parseSearchFilter,
  Principal,
  pythonRepr,
  readableBy,
  validateKey,
} from '@app/domain';

import { LearnerPrivacyService } from '../learner-privacy/learner-privacy.service';
import { TrackingOptions } from '../tracking-options';

export interface CreateLoggedModelParams {
  experimentId: string;
  name?: string;
  modelType?: string;
  sourceRunId?: string;
  params: KeyValue[];
  tags: KeyValue[];
}

export interface SearchLoggedModelsOrderBy {
  fieldName: string;
  ascending?: boolean;
  datasetName?: string;
  datasetDigest?: string;
}

export interface SearchLoggedModelsParams {
  experimentIds: string[];
  filter?: string;
  datasets: LoggedModelDatasetFilter[];
  maxResults?: number;
  orderBy: SearchLoggedModelsOrderBy[];
  pageToken?: string;
  caller: Principal;
}

/** The client sends at most this many params with the create call (and the rest in batches). */
const MAX_PARAMS_PER_CREATE = LIMITS.maxParamsTagsPerBatch;
/** Upper bound of params or tags in any other single request. */
const MAX_ENTRIES_PER_REQUEST = LIMITS.maxEntitiesPerBatch;
const FINAL_STATUSES: readonly LoggedModelStatus[] = [
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
];
const BAD_NAME_CHARACTERS = ['/', ':', '.', '%', '"', "'"];

/** MLflow 3.x logged models: MLflow's rules on top of the LoggedModelStore port. */
@Injectable()
export class LoggedModelsService {
  constructor(
    private readonly models: LoggedModelStore,
    private readonly options: TrackingOptions,
    private readonly privacy: LearnerPrivacyService,
  ) {}

  async create(request: CreateLoggedModelParams): Promise<LoggedModel> {
    const name = request.name ? validateName(request.name) : generateRunName();
    if (request.params.length > MAX_PARAMS_PER_CREATE) {
      throw tooMany('params', request.params.length, MAX_PARAMS_PER_CREATE);
    }
    const modelType = request.modelType ?? '';
    if (modelType.length > LIMITS.maxLoggedModelTypeLength) {
      throw lengthError('model_type', modelType.length, LIMITS.maxLoggedModelTypeLength);
    }
    const params = this.checkParams(request.params);
    const tags = this.checkTags(request.tags);
    this.privacy.check({ params, tags });
    return this.models.createLoggedModel({
      experimentId: request.experimentId,
      name,
      modelType: request.modelType || null,
      sourceRunId: request.sourceRunId || null,
      params,
      tags,
    });
  }

  get(modelId: string, allowDeleted = false): Promise<LoggedModel> {
    return this.models.getLoggedModel(modelId, allowDeleted);
  }

  async finalize(
    modelId: string,
    bodyModelId: string | undefined,
    status: LoggedModelStatus,
  ): Promise<LoggedModel> {
    assertSameModel(modelId, bodyModelId);
    if (!FINAL_STATUSES.includes(status)) {
      throw MlflowError.invalidParameterValue(
        `Invalid value '${status}' for parameter 'status' supplied: a logged model is finalized as ${FINAL_STATUSES.join(' or ')}.`,
      );
    }
    return this.models.finalizeLoggedModel(modelId, status);
  }

  delete(modelId: string): Promise<void> {
    return this.models.deleteLoggedModel(modelId);
  }

  async setTags(modelId: string, bodyModelId: string | undefined, tags: KeyValue[]) {
    assertSameModel(modelId, bodyModelId);
    const checked = this.checkTags(tags);
    this.privacy.check({ tags: checked });
    await this.models.setLoggedModelTags(modelId, checked);
  }

  deleteTag(modelId: string, key: string): Promise<void> {
    return this.models.deleteLoggedModelTag(modelId, key);
  }

  async logParams(modelId: string, bodyModelId: string | undefined, params: KeyValue[]) {
    assertSameModel(modelId, bodyModelId);
    const checked = this.checkParams(params);
    this.privacy.check({ params: checked });
    await this.models.logLoggedModelParams(modelId, checked);
  }

  async search(request: SearchLoggedModelsParams): Promise<Page<LoggedModel>> {
    if (request.maxResults !== undefined && request.maxResults < 0) {
      throw MlflowError.invalidParameterValue(
        `Invalid value ${request.maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
      );
    }
    const maxResults = Math.min(
      request.maxResults || LIMITS.searchLoggedModelsDefaultMaxResults,
      LIMITS.searchLoggedModelsMaxResults,
    );
    const filter = parseSearchFilter(request.filter, 'logged-models');
    const orderBy = toOrderBy(request.orderBy);
    const searchId = searchFingerprint(request);
    const offset = decodeSearchToken(request.pageToken, searchId);
    const { items, hasMore } = await this.models.searchLoggedModels({
      experimentIds: request.experimentIds,
      filter,
      datasets: request.datasets,
      orderBy,
      maxResults,
      offset,
      readableBy: readableBy(request.caller),
    });
    return {
      items,
      nextPageToken: hasMore ? encodeSearchToken(offset + maxResults, searchId) : undefined,
    };
  }

  /** Key rules, run-param value limits; identical repeats collapse, conflicting ones are refused. */
  private checkParams(params: KeyValue[]): KeyValue[] {
    if (params.length > MAX_ENTRIES_PER_REQUEST) {
      throw tooMany('params', params.length, MAX_ENTRIES_PER_REQUEST);
    }
    const byKey = new Map<string, KeyValue>();
    for (const param of params) {
      validateKey('param', param.key);
      const value = fitValue(
        'Param value',
        param.value,
        LIMITS.maxParamValueLength,
        this.options.truncateLongValues,
      );
      const seen = byKey.get(param.key);
      if (seen && seen.value !== value) {
        throw MlflowError.invalidParameterValue(
          `Duplicate parameter keys have been submitted: ['${param.key}']. Please ensure the request contains only one param value per param key.`,
        );
      }
      byKey.set(param.key, { key: param.key, value });
    }
    return [...byKey.values()];
  }

  /** Key rules, run-tag value limits; within one request the last value for a key wins. */
  private checkTags(tags: KeyValue[]): KeyValue[] {
    if (tags.length > MAX_ENTRIES_PER_REQUEST) {
      throw tooMany('tags', tags.length, MAX_ENTRIES_PER_REQUEST);
    }
    const byKey = new Map<string, KeyValue>();
    for (const tag of tags) {
      validateKey('tag', tag.key);
      const value = fitValue(
        'Tag value',
        tag.value,
        LIMITS.maxRunTagValueLength,
        this.options.truncateLongValues,
      );
      byKey.delete(tag.key);
      byKey.set(tag.key, { key: tag.key, value });
    }
    return [...byKey.values()];
  }
}

/** MLflow's `_validate_logged_model_name`, plus the 500-character column limit. */
function validateName(name: string): string {
  if (BAD_NAME_CHARACTERS.some((c) => name.includes(c))) {
    throw MlflowError.invalidParameterValue(
      `Invalid model name (${pythonRepr(name)}) provided. Model name must be a non-empty string and cannot contain the following characters: (${BAD_NAME_CHARACTERS.map(pythonRepr).join(', ')})`,
    );
  }
  if (name.length > LIMITS.maxLoggedModelNameLength) {
    throw lengthError('name', name.length, LIMITS.maxLoggedModelNameLength);
  }
  return name;
}

function assertSameModel(pathModelId: string, bodyModelId: string | undefined): void {
  if (bodyModelId && bodyModelId !== pathModelId) {
    throw MlflowError.invalidParameterValue(
      `The model_id in the request body ('${bodyModelId}') does not match the one in the path ('${pathModelId}').`,
    );
  }
}

function tooMany(what: string, count: number, limit: number): MlflowError {
  return MlflowError.invalidParameterValue(
    `A logged model request can contain at most ${limit} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`,
  );
}

/**
 * The search's order_by objects as clauses (plus tiebreaks); a metric clause keeps its dataset.
 * `loggedModelOrderBy` returns one clause per entry, in order, before the tiebreaks.
 */
function toOrderBy(entries: SearchLoggedModelsOrderBy[]): LoggedModelOrderByClause[] {
  for (const entry of entries) {
    if (entry.datasetDigest && !entry.datasetName) {
      throw MlflowError.invalidParameterValue(
        '`dataset_digest` can only be specified if `dataset_name` is also specified.',
      );
    }
  }
  const clauses = loggedModelOrderBy(
    entries.map((e) => ({ field_name: e.fieldName, ascending: e.ascending })),
  );
  return clauses.map((clause, i) => {
    const entry = i < entries.length ? entries[i] : undefined;
    if (clause.type !== 'metric' || !entry?.datasetName) return clause;
    return {
      ...clause,
      dataset: {
        datasetName: entry.datasetName,
        ...(entry.datasetDigest ? { datasetDigest: entry.datasetDigest } : {}),
      },
    };
  });
}

/**
 * Page tokens carry the offset and a fingerprint of the search they continue (experiments,
 * filter, datasets, order), and are refused for any other search, as MLflow's are.
 */
function searchFingerprint(request: SearchLoggedModelsParams): string {
  const canonical = JSON.stringify([
    request.experimentIds,
    request.filter ?? '',
    request.datasets.map((d) => [d.datasetName, d.datasetDigest ?? null]),
    request.orderBy.map((o) => [
      o.fieldName,
      o.ascending !== false,
      o.datasetName ?? null,
      o.datasetDigest ?? null,
    ]),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function encodeSearchToken(offset: number, searchId: string): string {
  return Buffer.from(JSON.stringify({ offset, search: searchId }), 'utf8').toString('base64');
}

function decodeSearchToken(token: string | undefined, searchId: string): number {
  if (!token) return 0;
  const offset = decodePageToken(token);
  const { search } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
    search?: unknown;
  };
  if (search !== searchId) {
    throw MlflowError.invalidParameterValue(
      'Invalid page token: it continues a different search (experiment_ids, filter, datasets or order_by changed).',
    );
  }
  return offset;
}
