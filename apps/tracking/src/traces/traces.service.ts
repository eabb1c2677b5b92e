import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import {
  artifactPathOfUri,
  artifactPathUnder,
  ArtifactStore,
  decodePageToken,
  encodePageToken,
  KeyValue,
  lengthError,
  LIMITS,
  MlflowError,
  Page,
  parseOrderBy,
  parseProtoDuration,
  parseProtoTimestamp,
  parseSearchFilter,
  Principal,
  readableBy,
  TRACE_ARTIFACT_LOCATION_TAG,
  TRACE_DATA_FILE_NAME,
  TraceInfo,
  TraceStatus,
  TraceStore,
  validateKey,
} from '@app/domain';

export interface StartTraceParams {
  experimentId: string;
  timestampMs: number;
  requestMetadata: KeyValue[];
  tags: KeyValue[];
}

export interface EndTraceParams {
  requestId: string;
  timestampMs: number;
  status: TraceStatus;
  requestMetadata: KeyValue[];
  tags: KeyValue[];
}

/** MLflow 3.x's TraceInfoV3 as the client sent it (wire strings still unparsed). */
export interface StartTraceV3Params {
  traceId: string;
  experimentId: string;
  clientRequestId?: string;
  requestPreview?: string;
  responsePreview?: string;
  requestTime: string;
  executionDuration?: string;
  state?: TraceStatus;
  traceMetadata?: Record<string, unknown>;
  tags?: Record<string, unknown>;
}

export interface SearchTracesParams {
  experimentIds: string[];
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
  caller: Principal;
}

export interface DeleteTracesParams {
  experimentId: string;
  maxTimestampMillis?: number;
  maxTraces?: number;
  requestIds?: string[];
}

/** What a trace id may look like: it becomes a path segment of the trace's artifact location. */
const TRACE_ID = /^[A-Za-z0-9][\w-]*$/;
/** Upper bound of metadata entries or tags in one request. */
const MAX_ENTRIES_PER_REQUEST = LIMITS.maxEntitiesPerBatch;

/** MLflow tracing: MLflow's rules on top of the TraceStore port; spans through the ArtifactStore. */
@Injectable()
export class TracesService {
  constructor(
    private readonly traces: TraceStore,
    private readonly artifacts: ArtifactStore,
  ) {}

  startTrace(request: StartTraceParams): Promise<TraceInfo> {
    return this.traces.startTrace({
      // MLflow 2.x: the server chooses the id (`uuid4().hex`).
      requestId: randomUUID().replace(/-/g, ''),
      experimentId: request.experimentId,
      timestampMs: request.timestampMs,
      executionTimeMs: null,
      status: 'IN_PROGRESS',
      clientRequestId: null,
      requestPreview: null,
      responsePreview: null,
      requestMetadata: checkEntries('request_metadata', request.requestMetadata),
      tags: checkTags(request.tags),
    });
  }

  startTraceV3(request: StartTraceV3Params): Promise<TraceInfo> {
    const traceId = checkTraceId(request.traceId);
    const timestampMs = parseProtoTimestamp(request.requestTime, 'request_time');
    const executionTimeMs =
      request.executionDuration === undefined
        ? null
        : parseProtoDuration(request.executionDuration, 'execution_duration');
    return this.traces.startTrace({
      requestId: traceId,
      experimentId: request.experimentId,
      timestampMs,
      executionTimeMs,
      status: request.state ?? 'TRACE_STATUS_UNSPECIFIED',
      clientRequestId: checkLength('client_request_id', request.clientRequestId, 250),
      requestPreview: checkLength(
        'request_preview',
        request.requestPreview,
        LIMITS.maxTracePreviewLength,
      ),
      responsePreview: checkLength(
        'response_preview',
        request.responsePreview,
        LIMITS.maxTracePreviewLength,
      ),
      requestMetadata: checkEntries(
        'trace_metadata',
        mapEntries('trace_metadata', request.traceMetadata),
      ),
      tags: checkTags(mapEntries('tags', request.tags)),
    });
  }

  endTrace(request: EndTraceParams): Promise<TraceInfo> {
    return this.traces.endTrace({
      requestId: request.requestId,
      timestampMs: request.timestampMs,
      status: request.status,
      requestMetadata: checkEntries('request_metadata', request.requestMetadata),
      tags: checkTags(request.tags),
    });
  }

  getTraceInfo(requestId: string): Promise<TraceInfo> {
    return this.traces.getTraceInfo(requestId);
  }

  async search(request: SearchTracesParams): Promise<Page<TraceInfo>> {
    const maxResults = request.maxResults ?? LIMITS.searchTracesDefaultMaxResults;
    const filter = parseSearchFilter(request.filter, 'traces');
    const orderBy = parseOrderBy(request.orderBy, 'traces');
    const offset = decodePageToken(request.pageToken);
    const { items, hasMore } = await this.traces.searchTraces({
      experimentIds: request.experimentIds,
      filter,
      orderBy,
      maxResults,
      offset,
      readableBy: readableBy(request.caller),
    });
    return { items, nextPageToken: hasMore ? encodePageToken(offset + maxResults) : undefined };
  }

  /** MLflow's two ways: by time (`max_timestamp_millis`, optionally `max_traces`) or by ids. */
  deleteTraces(request: DeleteTracesParams): Promise<number> {
    const byIds = request.requestIds !== undefined && request.requestIds.length > 0;
    const byTime = request.maxTimestampMillis !== undefined;
    if (byIds === byTime) {
      throw MlflowError.invalidParameterValue(
        byIds
          ? 'Only one of `max_timestamp_millis` and `request_ids` can be specified.'
          : 'Either `max_timestamp_millis` or `request_ids` must be specified.',
      );
    }
    if (byIds && request.maxTraces !== undefined) {
      throw MlflowError.invalidParameterValue(
        '`max_traces` can only be specified with `max_timestamp_millis`.',
      );
    }
    if (byIds && (request.requestIds?.length ?? 0) > LIMITS.maxEntitiesPerBatch) {
      throw MlflowError.invalidParameterValue(
        `At most ${LIMITS.maxEntitiesPerBatch} request_ids can be deleted in one request.`,
      );
    }
    return this.traces.deleteTraces({
      experimentId: request.experimentId,
      maxTimestampMillis: request.maxTimestampMillis ?? null,
      maxTraces: request.maxTraces ?? null,
      requestIds: byIds ? [...new Set(request.requestIds)] : null,
    });
  }

  setTag(requestId: string, key: string, value: string): Promise<void> {
    const [tag] = checkEntries('tags', [{ key, value }]);
    return this.traces.setTraceTag(requestId, tag.key, tag.value);
  }

  deleteTag(requestId: string, key: string): Promise<void> {
    return this.traces.deleteTraceTag(requestId, key);
  }

  linkToRun(traceIds: string[], runId: string): Promise<void> {
    if (traceIds.length > LIMITS.maxTracesPerLink) {
      throw MlflowError.invalidParameterValue(
        `Cannot link more than ${LIMITS.maxTracesPerLink} traces to a run in a single request. Provided ${traceIds.length} traces.`,
      );
    }
    return this.traces.linkTracesToRun(traceIds, runId);
  }

  /**
   * The trace's `traces.json`, read from the trace's artifact location as the server set it
   * (the tag cannot be changed by clients). RESOURCE_DOES_NOT_EXIST when the client has not
   * uploaded it (yet).
   */
  async openTraceData(requestId: string): Promise<Readable> {
    const trace = await this.traces.getTraceInfo(requestId);
    const location = trace.tags.find((t) => t.key === TRACE_ARTIFACT_LOCATION_TAG)?.value;
    const root = location === undefined ? null : artifactPathOfUri(location);
    if (root === null) {
      throw MlflowError.resourceDoesNotExist(`Trace data not found for request_id '${requestId}'.`);
    }
    const path = artifactPathUnder(root, TRACE_DATA_FILE_NAME);
    try {
      return await this.artifacts.openRead(path);
    } catch (error) {
      if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST') {
        throw MlflowError.resourceDoesNotExist(
          `Trace data not found for request_id '${requestId}'.`,
        );
      }
      throw error;
    }
  }
}

function checkTraceId(traceId: string): string {
  if (traceId.length > LIMITS.maxTraceIdLength || !TRACE_ID.test(traceId)) {
    throw MlflowError.invalidParameterValue(
      `Invalid value '${traceId}' for parameter 'trace_id' supplied: a trace id has letters, digits, '-' and '_' only, at most ${LIMITS.maxTraceIdLength} characters.`,
    );
  }
  return traceId;
}

function checkLength(field: string, value: string | undefined, limit: number): string | null {
  if (value === undefined || value === '') return null;
  if (value.length > limit) throw lengthError(field, value.length, limit);
  return value;
}

function mapEntries(field: string, map: Record<string, unknown> | undefined): KeyValue[] {
  if (map === undefined) return [];
  return Object.entries(map).map(([key, value]) => {
    if (typeof value !== 'string') {
      throw MlflowError.invalidParameterValue(
        `Invalid value for '${field}.${key}': a map of strings is expected.`,
      );
    }
    return { key, value };
  });
}

/** Key rules of run tags, MLflow's trace column limits; within one request the last value wins. */
function checkEntries(field: string, entries: KeyValue[]): KeyValue[] {
  if (entries.length > MAX_ENTRIES_PER_REQUEST) {
    throw MlflowError.invalidParameterValue(
      `A trace request can contain at most ${MAX_ENTRIES_PER_REQUEST} ${field} entries. Got ${entries.length}.`,
    );
  }
  const byKey = new Map<string, KeyValue>();
  for (const entry of entries) {
    validateKey('tag', entry.key);
    if (entry.key.length > LIMITS.maxTraceKeyLength) {
      throw lengthError('key', entry.key.length, LIMITS.maxTraceKeyLength);
    }
    if (entry.value.length > LIMITS.maxTraceValueLength) {
      throw lengthError('value', entry.value.length, LIMITS.maxTraceValueLength);
    }
    byKey.delete(entry.key);
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()];
}

/**
 * As {@link checkEntries}. The artifact location is the server's: clients echo the value they
 * were given (MLflow 2.x end_trace sends every tag back), so a sent one is dropped, never stored.
 */
function checkTags(tags: KeyValue[]): KeyValue[] {
  return checkEntries(
    'tags',
    tags.filter((t) => t.key !== TRACE_ARTIFACT_LOCATION_TAG),
  );
}
