import {
  DeleteTracesQuery,
  EndTraceInput,
  FilterClause,
  KeyValue,
  MlflowError,
  runNotFound,
  SearchTracesQuery,
  StartTraceInput,
  TRACE_ARTIFACT_LOCATION_TAG,
  TRACE_NAME_TAG,
  TRACE_SOURCE_RUN_METADATA,
  TRACE_STATUSES,
  TraceInfo,
  traceNotFound,
  TraceStatus,
  TraceStore,
} from '@app/domain';

import { Row, SqlExecutor, SqlRunner, SqlValue } from '../sql-executor';
import { requireReadableExperiment } from './access-predicates';
import { joinArtifactRoot } from './artifact-locations';
import { activeExperimentLocation, experimentKey, experimentKeys } from './experiment-lookup';
import { comparisonSql, SearchColumns, SearchStatement, unsupported } from './search-builder';
import {
  chunk,
  groupBy,
  num,
  placeholders,
  q,
  rowPlaceholders,
  str,
  strOrNull,
} from './sql-helpers';

const TRACE_FIELDS = [
  'request_id',
  'experiment_id',
  'timestamp_ms',
  'execution_time_ms',
  'status',
  'client_request_id',
  'request_preview',
  'response_preview',
];
const TRACE_COLUMNS = TRACE_FIELDS.map((f) => `t.${f}`).join(', ');

type KeyValueTable = 'trace_tags' | 'trace_request_metadata';

const TRACE_SEARCH: SearchColumns = {
  filterable: {
    request_id: 't.request_id',
    timestamp_ms: 't.timestamp_ms',
    execution_time_ms: 't.execution_time_ms',
    status: 't.status',
  },
  orderable: {
    experiment_id: { expression: 't.experiment_id', nullable: false },
    timestamp_ms: { expression: 't.timestamp_ms', nullable: false },
    execution_time_ms: { expression: 't.execution_time_ms', nullable: true },
    status: { expression: 't.status', nullable: false },
    request_id: { expression: 't.request_id', nullable: false },
  },
  keyValues: {
    tag: { table: 'trace_tags', ownerMatch: (a) => `${a}.request_id = t.request_id` },
    request_metadata: {
      table: 'trace_request_metadata',
      ownerMatch: (a) => `${a}.request_id = t.request_id`,
    },
  },
};

/** Rows per multi-row INSERT (3 placeholders each). */
const INSERT_CHUNK = 300;
/** Ids per `IN (...)` of a delete. */
const DELETE_CHUNK = 500;

export class SqlTraceStore extends TraceStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async startTrace(input: StartTraceInput): Promise<TraceInfo> {
    return this.sql.transaction(async (tx) => {
      const artifactRoot = await activeExperimentLocation(tx, input.experimentId);
      const existing = await tx.select(
        'SELECT experiment_id FROM trace_info WHERE request_id = ?',
        [input.requestId],
      );
      const values: SqlValue[] = [
        num(input.experimentId),
        input.timestampMs,
        input.executionTimeMs,
        input.status,
        input.clientRequestId,
        input.requestPreview,
        input.responsePreview,
      ];
      if (existing.length === 0) {
        await tx.execute(
          `INSERT INTO trace_info (${TRACE_FIELDS.join(', ')}) VALUES (${placeholders(TRACE_FIELDS.length)})`,
          [input.requestId, ...values],
        );
      } else if (String(num(existing[0].experiment_id)) === input.experimentId) {
        await tx.execute(
          `UPDATE trace_info SET ${TRACE_FIELDS.slice(1)
            .map((f) => `${f} = ?`)
            .join(', ')} WHERE request_id = ?`,
          [...values, input.requestId],
        );
      } else {
        throw new MlflowError(
          'RESOURCE_ALREADY_EXISTS',
          `Trace with request_id '${input.requestId}' already exists in another experiment.`,
        );
      }
      await upsertKeyValues(tx, 'trace_request_metadata', input.requestId, input.requestMetadata);
      await upsertKeyValues(tx, 'trace_tags', input.requestId, [
        ...input.tags,
        {
          key: TRACE_ARTIFACT_LOCATION_TAG,
          value: joinArtifactRoot(artifactRoot, 'traces', input.requestId, 'artifacts'),
        },
      ]);
      return (await loadTraces(tx, [input.requestId]))[0];
    });
  }

  async endTrace(input: EndTraceInput): Promise<TraceInfo> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.select(
        `SELECT timestamp_ms FROM trace_info WHERE request_id = ?${tx.dialect.forUpdate}`,
        [input.requestId],
      );
      if (rows.length === 0) throw traceNotFound(input.requestId);
      await tx.execute(
        'UPDATE trace_info SET execution_time_ms = ?, status = ? WHERE request_id = ?',
        [input.timestampMs - num(rows[0].timestamp_ms), input.status, input.requestId],
      );
      await upsertKeyValues(tx, 'trace_request_metadata', input.requestId, input.requestMetadata);
      await upsertKeyValues(tx, 'trace_tags', input.requestId, input.tags);
      return (await loadTraces(tx, [input.requestId]))[0];
    });
  }

  async getTraceInfo(requestId: string): Promise<TraceInfo> {
    const [trace] = await loadTraces(this.sql, [requestId]);
    if (!trace) throw traceNotFound(requestId);
    return trace;
  }

  async searchTraces(query: SearchTracesQuery): Promise<{ items: TraceInfo[]; hasMore: boolean }> {
    const experimentIds = experimentKeys(query.experimentIds);
    if (experimentIds.length === 0 || query.maxResults <= 0) return { items: [], hasMore: false };
    const search = new SearchStatement();
    search.require(`t.experiment_id IN (${placeholders(experimentIds.length)})`, experimentIds);
    for (const clause of query.filter) filterTraces(search, clause);
    for (const clause of query.orderBy) {
      if (!search.sortBy(TRACE_SEARCH, clause)) {
        throw unsupported(`order_by ${clause.type}.${clause.key}`);
      }
    }
    requireReadableExperiment(search, query.readableBy, 't.experiment_id');
    const statement = search.page(TRACE_COLUMNS, 'trace_info t', query);
    const rows = await this.sql.select(statement.sql, statement.params);
    const page = rows.slice(0, query.maxResults);
    return { items: await hydrate(this.sql, page), hasMore: rows.length > query.maxResults };
  }

  async deleteTraces(query: DeleteTracesQuery): Promise<number> {
    const experiment = experimentKey(query.experimentId);
    if (experiment === undefined) return 0;
    return this.sql.transaction(async (tx) => {
      const conditions = ['experiment_id = ?'];
      const params: SqlValue[] = [experiment];
      if (query.maxTimestampMillis !== null) {
        conditions.push('timestamp_ms <= ?');
        params.push(query.maxTimestampMillis);
      }
      if (query.requestIds !== null) {
        if (query.requestIds.length === 0) return 0;
        conditions.push(`request_id IN (${placeholders(query.requestIds.length)})`);
        params.push(...query.requestIds);
      }
      // Selected first: MariaDB has no LIMIT inside an IN subquery. Oldest first, as MLflow.
      let sql = `SELECT request_id FROM trace_info WHERE ${conditions.join(' AND ')} ORDER BY timestamp_ms, request_id`;
      if (query.maxTraces !== null) {
        sql += ' LIMIT ?';
        params.push(query.maxTraces);
      }
      const ids = (await tx.select(`${sql}${tx.dialect.forUpdate}`, params)).map((r) =>
        str(r.request_id),
      );
      for (const part of chunk(ids, DELETE_CHUNK)) {
        const inList = `(${placeholders(part.length)})`;
        for (const table of ['trace_tags', 'trace_request_metadata', 'trace_run_links']) {
          await tx.execute(`DELETE FROM ${table} WHERE request_id IN ${inList}`, part);
        }
        await tx.execute(`DELETE FROM trace_info WHERE request_id IN ${inList}`, part);
      }
      return ids.length;
    });
  }

  async setTraceTag(requestId: string, key: string, value: string): Promise<void> {
    if (key === TRACE_ARTIFACT_LOCATION_TAG) throw artifactLocationIsServerOwned();
    await this.sql.transaction(async (tx) => {
      await requireTrace(tx, requestId);
      await upsertKeyValues(tx, 'trace_tags', requestId, [{ key, value }]);
    });
  }

  async deleteTraceTag(requestId: string, key: string): Promise<void> {
    if (key === TRACE_ARTIFACT_LOCATION_TAG) throw artifactLocationIsServerOwned();
    await this.sql.transaction(async (tx) => {
      await requireTrace(tx, requestId);
      const result = await tx.execute(
        `DELETE FROM trace_tags WHERE request_id = ? AND ${q('key')} = ?`,
        [requestId, key],
      );
      if (result.affectedRows === 0) {
        throw MlflowError.resourceDoesNotExist(
          `No trace tag with key '${key}' for trace with request_id '${requestId}'`,
        );
      }
    });
  }

  async linkTracesToRun(requestIds: string[], runId: string): Promise<void> {
    const ids = [...new Set(requestIds)];
    await this.sql.transaction(async (tx) => {
      const runs = await tx.select('SELECT 1 AS found FROM runs WHERE run_uuid = ?', [runId]);
      if (runs.length === 0) throw runNotFound(runId);
      if (ids.length === 0) return;
      const found = new Set(
        (
          await tx.select(
            `SELECT request_id FROM trace_info WHERE request_id IN (${placeholders(ids.length)})`,
            ids,
          )
        ).map((r) => str(r.request_id)),
      );
      const missing = ids.find((id) => !found.has(id));
      if (missing !== undefined) throw traceNotFound(missing);
      for (const part of chunk(ids, INSERT_CHUNK)) {
        const params = part.flatMap((id) => [id, runId]);
        await tx.execute(
          `${tx.dialect.insertIgnore} trace_run_links (request_id, run_uuid) VALUES ${rowPlaceholders(part.length, 2)}`,
          params,
        );
      }
    });
  }
}

function artifactLocationIsServerOwned(): MlflowError {
  return MlflowError.invalidParameterValue(
    `The tag '${TRACE_ARTIFACT_LOCATION_TAG}' is set by the server and cannot be changed.`,
  );
}

/**
 * Attributes on columns through the builder; `name` is the trace-name tag and `run_id` the
 * source-run metadata or a link, each matched as a key-value row with that fixed key.
 */
function filterTraces(search: SearchStatement, clause: FilterClause): void {
  if (clause.type === 'attribute' && clause.key === 'name') {
    search.keyValueFilter('trace_tags', ownedByTrace, { ...clause, key: TRACE_NAME_TAG });
    return;
  }
  if (clause.type === 'attribute' && clause.key === 'run_id') {
    const params: SqlValue[] = [TRACE_SOURCE_RUN_METADATA];
    const onMetadata = comparisonSql(`m.${q('value')}`, clause.comparator, clause.value, params);
    const onLink = comparisonSql('l.run_uuid', clause.comparator, clause.value, params);
    search.whereSql(
      `(EXISTS (SELECT 1 FROM trace_request_metadata m WHERE m.request_id = t.request_id AND m.${q('key')} = ? AND ${onMetadata})` +
        ` OR EXISTS (SELECT 1 FROM trace_run_links l WHERE l.request_id = t.request_id AND ${onLink}))`,
      params,
    );
    return;
  }
  if (!search.filterBy(TRACE_SEARCH, clause)) {
    throw unsupported(`${clause.type}.${clause.key}`);
  }
}

function ownedByTrace(alias: string): string {
  return `${alias}.request_id = t.request_id`;
}

async function requireTrace(tx: SqlRunner, requestId: string): Promise<void> {
  const rows = await tx.select('SELECT 1 AS found FROM trace_info WHERE request_id = ?', [
    requestId,
  ]);
  if (rows.length === 0) throw traceNotFound(requestId);
}

/** Multi-row upsert of (key, value, request_id); the last value for a key wins. */
async function upsertKeyValues(
  tx: SqlRunner,
  table: KeyValueTable,
  requestId: string,
  entries: KeyValue[],
): Promise<void> {
  for (const rows of chunk(entries, INSERT_CHUNK)) {
    const params: SqlValue[] = [];
    for (const entry of rows) params.push(entry.key, entry.value, requestId);
    await tx.execute(
      `INSERT INTO ${table} (${q('key')}, ${q('value')}, request_id) VALUES ${rowPlaceholders(rows.length, 3)} ${tx.dialect.upsert(['key', 'request_id'], ['value'])}`,
      params,
    );
  }
}

async function loadTraces(runner: SqlRunner, requestIds: string[]): Promise<TraceInfo[]> {
  if (requestIds.length === 0) return [];
  const rows = await runner.select(
    `SELECT ${TRACE_COLUMNS} FROM trace_info t WHERE t.request_id IN (${placeholders(requestIds.length)})`,
    requestIds,
  );
  return hydrate(runner, rows);
}

/** Tags and metadata of already-selected rows: one query per child table for the whole page. */
async function hydrate(runner: SqlRunner, rows: Row[]): Promise<TraceInfo[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => str(row.request_id));
  const inList = `(${placeholders(ids.length)})`;
  const [tagRows, metadataRows] = await Promise.all(
    (['trace_tags', 'trace_request_metadata'] as const).map((table) =>
      runner.select(
        `SELECT request_id, ${q('key')} AS k, ${q('value')} AS v FROM ${table} WHERE request_id IN ${inList} ORDER BY ${q('key')}`,
        ids,
      ),
    ),
  );
  const tags = groupBy(tagRows, traceKey, keyValue);
  const metadata = groupBy(metadataRows, traceKey, keyValue);
  return rows.map((row) => {
    const id = str(row.request_id);
    const status = str(row.status);
    return {
      requestId: id,
      experimentId: String(num(row.experiment_id)),
      timestampMs: num(row.timestamp_ms),
      executionTimeMs:
        row.execution_time_ms === null || row.execution_time_ms === undefined
          ? null
          : num(row.execution_time_ms),
      status: (TRACE_STATUSES as readonly string[]).includes(status)
        ? (status as TraceStatus)
        : 'TRACE_STATUS_UNSPECIFIED',
      clientRequestId: strOrNull(row.client_request_id),
      requestPreview: strOrNull(row.request_preview),
      responsePreview: strOrNull(row.response_preview),
      requestMetadata: metadata.get(id) ?? [],
      tags: tags.get(id) ?? [],
    };
  });
}

function keyValue(row: Row): KeyValue {
  return { key: str(row.k), value: str(row.v) };
}

function traceKey(row: Row): string {
  return str(row.request_id);
}
