import { BACKENDS } from '../../support/backends';
import { Account, AUTH_ENV, createAccount } from '../../support/tenants';
import { createTestApp, TestApp } from '../../support/test-app';

interface KeyValueJson {
  key: string;
  value: string;
}

interface TraceInfoJson {
  request_id: string;
  experiment_id: string;
  timestamp_ms: number;
  execution_time_ms?: number;
  status: string;
  request_metadata?: KeyValueJson[];
  tags?: KeyValueJson[];
}

const REQUEST_ID = /^[0-9a-f]{32}$/;

/**
 * MLflow tracing over both backends: the expectations of MLflow 2.17.2's
 * tests/tracking/test_rest_tracking.py trace tests (start/end, get, search with filters, order
 * and pages, delete by ids and by time, tags, get-trace-artifact), then the 3.x client's shapes.
 */
describe.each(BACKENDS)('traces on %s', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(backend);
  });

  afterAll(async () => {
    await t.close();
  });

  const send = (
    method: 'post' | 'patch' | 'delete',
    url: string,
    body: unknown,
  ): ReturnType<TestApp['http']['post']> =>
    t.http[method](url).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const v2 = (path: string) => `/api/2.0/mlflow/${path}`;
  const v3 = (path: string) => `/api/3.0/mlflow/${path}`;

  async function createExperiment(name: string): Promise<string> {
    const res = await send('post', v2('experiments/create'), { name });
    expect(res.status).toBe(200);
    return res.body.experiment_id as string;
  }

  const pairs = (map: Record<string, string>) =>
    Object.entries(map).map(([key, value]) => ({ key, value }));
  const asMap = (entries: KeyValueJson[] | undefined) =>
    Object.fromEntries((entries ?? []).map((e) => [e.key, e.value]));
  /** MLflow's test helper `_exclude_system_tags`. */
  const userTags = (info: TraceInfoJson) =>
    Object.fromEntries(Object.entries(asMap(info.tags)).filter(([k]) => !k.startsWith('mlflow.')));

  async function startTrace(
    experimentId: string,
    timestampMs: number,
    tags: Record<string, string> = {},
    metadata: Record<string, string> = {},
  ): Promise<TraceInfoJson> {
    const res = await send('post', v2('traces'), {
      experiment_id: experimentId,
      timestamp_ms: timestampMs,
      request_metadata: pairs(metadata),
      tags: pairs(tags),
    });
    expect(res.status).toBe(200);
    return res.body.trace_info as TraceInfoJson;
  }

  async function endTrace(
    requestId: string,
    timestampMs: number,
    status: string,
    tags: Record<string, string> = {},
    metadata: Record<string, string> = {},
  ): Promise<TraceInfoJson> {
    const res = await send('patch', v2(`traces/${requestId}`), {
      request_id: requestId,
      timestamp_ms: timestampMs,
      status,
      request_metadata: pairs(metadata),
      tags: pairs(tags),
    });
    expect(res.status).toBe(200);
    return res.body.trace_info as TraceInfoJson;
  }

  /** A finished trace named `name`, as the 2.17 fluent API records one. */
  async function createTrace(
    experimentId: string,
    name: string,
    status: string,
    startMs: number,
  ): Promise<string> {
    const info = await startTrace(experimentId, startMs, { 'mlflow.traceName': name });
    await endTrace(info.request_id, startMs + 10, status);
    return info.request_id;
  }

  async function getTraceInfo(requestId: string) {
    return t.http.get(v2(`traces/${requestId}/info`));
  }

  async function search(query: Record<string, string | string[]>) {
    const res = await t.http.get(v2('traces')).query(query);
    expect(res.status).toBe(200);
    return res.body as { traces?: TraceInfoJson[]; next_page_token?: string };
  }

  const ids = (page: { traces?: TraceInfoJson[] }) => (page.traces ?? []).map((x) => x.request_id);

  it('starts and ends a trace, merging metadata and tags (test_start_and_end_trace)', async () => {
    const experimentId = await createExperiment('start end trace');
    const started = await startTrace(
      experimentId,
      1000,
      { tag1: 'football', tag2: 'basketball' },
      { meta1: 'apple', meta2: 'grape' },
    );
    expect(started.request_id).toMatch(REQUEST_ID);
    expect(started.experiment_id).toBe(experimentId);
    expect(started.timestamp_ms).toBe(1000);
    expect(started.execution_time_ms).toBeUndefined();
    expect(started.status).toBe('IN_PROGRESS');
    expect(asMap(started.request_metadata)).toEqual({ meta1: 'apple', meta2: 'grape' });
    expect(userTags(started)).toEqual({ tag1: 'football', tag2: 'basketball' });
    expect(asMap(started.tags)['mlflow.artifactLocation']).toBe(
      `mlflow-artifacts:/${experimentId}/traces/${started.request_id}/artifacts`,
    );

    const ended = await endTrace(
      started.request_id,
      3000,
      'OK',
      { tag1: 'soccer', tag3: 'tennis' },
      { meta1: 'orange', meta3: 'banana' },
    );
    expect(ended.execution_time_ms).toBe(2000);
    expect(ended.status).toBe('OK');
    expect(asMap(ended.request_metadata)).toEqual({
      meta1: 'orange',
      meta2: 'grape',
      meta3: 'banana',
    });
    expect(userTags(ended)).toEqual({ tag1: 'soccer', tag2: 'basketball', tag3: 'tennis' });

    const fetched = await getTraceInfo(started.request_id);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual({ trace_info: ended });
    // The ajax mirror serves the same.
    const ajax = await t.http.get(`/ajax-api/2.0/mlflow/traces/${started.request_id}/info`);
    expect(ajax.body).toEqual({ trace_info: ended });
  });

  it('keeps the artifact location server-owned: an echoed or forged tag changes nothing', async () => {
    const experimentId = await createExperiment('artifact location owned');
    const started = await startTrace(experimentId, 1000, {
      'mlflow.artifactLocation': 'mlflow-artifacts:/999/elsewhere',
    });
    const location = `mlflow-artifacts:/${experimentId}/traces/${started.request_id}/artifacts`;
    expect(asMap(started.tags)['mlflow.artifactLocation']).toBe(location);
    // MLflow 2.x end_trace sends every tag back; a changed one is not taken.
    const ended = await endTrace(started.request_id, 2000, 'OK', {
      'mlflow.artifactLocation': 'file:///etc',
    });
    expect(asMap(ended.tags)['mlflow.artifactLocation']).toBe(location);
    for (const [method, body] of [
      ['patch', { key: 'mlflow.artifactLocation', value: 'file:///etc' }],
      ['delete', { key: 'mlflow.artifactLocation' }],
    ] as const) {
      const res = await send(method, v2(`traces/${started.request_id}/tags`), body);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it("answers a missing trace with MLflow's not-found", async () => {
    const res = await getTraceInfo('f'.repeat(32));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: `Trace with request_id '${'f'.repeat(32)}' not found.`,
    });
    const end = await send('patch', v2(`traces/${'f'.repeat(32)}`), {
      timestamp_ms: 1,
      status: 'OK',
    });
    expect(end.status).toBe(404);
  });

  it('validates requests before any side effect', async () => {
    const experimentId = await createExperiment('trace validation');
    const missing = await send('post', v2('traces'), { timestamp_ms: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const badStatus = await send('patch', v2(`traces/${'a'.repeat(32)}`), {
      timestamp_ms: 1,
      status: 'DONE',
    });
    expect(badStatus.status).toBe(400);
    const unknownExperiment = await send('post', v2('traces'), {
      experiment_id: '987654',
      timestamp_ms: 1,
    });
    expect(unknownExperiment.status).toBe(404);
    expect(unknownExperiment.body.message).toBe('No Experiment with id=987654 exists');
    const longValue = await send('post', v2('traces'), {
      experiment_id: experimentId,
      timestamp_ms: 1,
      tags: [{ key: 'k', value: 'x'.repeat(8001) }],
    });
    expect(longValue.status).toBe(400);
    expect((await search({ experiment_ids: [experimentId] })).traces).toBeUndefined();
  });

  it('searches with filters, order_by and pages (test_search_traces)', async () => {
    const experimentId = await createExperiment('search traces');
    const id1 = await createTrace(experimentId, 'trace1', 'OK', 1_000);
    const id2 = await createTrace(experimentId, 'trace2', 'OK', 2_000);
    const id3 = await createTrace(experimentId, 'trace3', 'ERROR', 3_000);

    const all = await search({ experiment_ids: [experimentId] });
    expect(ids(all)).toEqual([id3, id2, id1]);
    expect(all.next_page_token).toBeUndefined();

    const ok = await search({
      experiment_ids: [experimentId],
      filter: "status = 'OK'",
      order_by: ['timestamp ASC'],
    });
    expect(ids(ok)).toEqual([id1, id2]);

    const first = await search({ experiment_ids: [experimentId], max_results: '2' });
    expect(ids(first)).toEqual([id3, id2]);
    expect(first.next_page_token).toBeDefined();
    const second = await search({
      experiment_ids: [experimentId],
      max_results: '2',
      page_token: first.next_page_token ?? '',
    });
    expect(ids(second)).toEqual([id1]);
    expect(second.next_page_token).toBeUndefined();

    const filters: [string, string[]][] = [
      ["name = 'trace2'", [id2]],
      ["attributes.name IN ('trace1', 'trace3')", [id3, id1]],
      ['timestamp_ms > 1500 AND execution_time_ms = 10', [id3, id2]],
      ["tags.`mlflow.traceName` LIKE 'trace%' AND trace.status != 'ERROR'", [id2, id1]],
      [`request_id = '${id1}'`, [id1]],
      ["status IN ('ERROR')", [id3]],
    ];
    for (const [filter, expected] of filters) {
      expect([filter, ids(await search({ experiment_ids: [experimentId], filter }))]).toEqual([
        filter,
        expected,
      ]);
    }
    expect(
      ids(await search({ experiment_ids: [experimentId], order_by: ['status', 'timestamp_ms'] })),
    ).toEqual([id3, id1, id2]);
  });

  it('filters on request metadata, run_id and links (traces/link-to-run)', async () => {
    const experimentId = await createExperiment('trace metadata');
    const run = await send('post', v2('runs/create'), {
      experiment_id: experimentId,
      start_time: 1,
    });
    const runId = run.body.run.info.run_id as string;
    const inRun = await startTrace(experimentId, 1000, {}, { 'mlflow.sourceRun': runId });
    const linked = await startTrace(experimentId, 2000, {}, { env: 'prod' });
    const other = await startTrace(experimentId, 3000, {}, { env: 'dev' });

    const link = await send('post', v2('traces/link-to-run'), {
      trace_ids: [linked.request_id],
      run_id: runId,
    });
    expect(link.status).toBe(200);
    expect(link.body).toEqual({});
    const byRun = await search({ experiment_ids: [experimentId], filter: `run_id = '${runId}'` });
    expect(ids(byRun)).toEqual([linked.request_id, inRun.request_id]);
    const byMetadata = await search({
      experiment_ids: [experimentId],
      filter: "request_metadata.env = 'dev'",
    });
    expect(ids(byMetadata)).toEqual([other.request_id]);
    expect(
      ids(await search({ experiment_ids: [experimentId], filter: "metadata.env != 'dev'" })),
    ).toEqual([linked.request_id]);

    const missingRun = await send('post', v2('traces/link-to-run'), {
      trace_ids: [linked.request_id],
      run_id: 'f'.repeat(32),
    });
    expect(missingRun.status).toBe(404);
    const tooMany = await send('post', v2('traces/link-to-run'), {
      trace_ids: Array.from({ length: 101 }, (_, i) => `t${i}`),
      run_id: runId,
    });
    expect(tooMany.status).toBe(400);
  });

  it('refuses bad filters, orders, page sizes and tokens with 400', async () => {
    const experimentId = await createExperiment('trace search errors');
    const bad: Record<string, string | string[]>[] = [
      { filter: "foo.bar = 'x'" },
      { filter: "attributes.nope = 'x'" },
      { filter: "timestamp_ms = 'x'" },
      { filter: 'status = OK OR' },
      { order_by: ['nope DESC'] },
      { order_by: ['timestamp_ms sideways'] },
      { max_results: '501' },
      { max_results: '0' },
      { page_token: 'not a token' },
    ];
    for (const query of bad) {
      const res = await t.http
        .get(v2('traces'))
        .query({ experiment_ids: [experimentId], ...query });
      expect([query, res.status, res.body.error_code]).toEqual([
        query,
        400,
        'INVALID_PARAMETER_VALUE',
      ]);
    }
    const noExperiments = await t.http.get(v2('traces'));
    expect(noExperiments.status).toBe(400);
  });

  it('deletes traces by time, by time with max_traces, and by ids (test_delete_traces)', async () => {
    const experimentId = await createExperiment('delete traces');
    const exists = async (id: string) => (await getTraceInfo(id)).status === 200;
    const deleteTraces = async (body: Record<string, unknown>) => {
      const res = await send('post', v2('traces/delete-traces'), {
        experiment_id: experimentId,
        ...body,
      });
      expect(res.status).toBe(200);
      return res.body.traces_deleted as number;
    };

    // Case 1: every trace up to now.
    let a = await createTrace(experimentId, 'a', 'OK', 1000);
    let b = await createTrace(experimentId, 'b', 'OK', 2000);
    expect(await exists(a)).toBe(true);
    expect(await deleteTraces({ max_timestamp_millis: Date.now() })).toBe(2);
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(false);

    // Case 2: max_traces, the oldest first.
    a = await createTrace(experimentId, 'a', 'OK', 1000);
    b = await createTrace(experimentId, 'b', 'OK', 2000);
    expect(await deleteTraces({ max_timestamp_millis: Date.now(), max_traces: 1 })).toBe(1);
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(true);
    expect(await deleteTraces({ max_timestamp_millis: 1500 })).toBe(0);

    // Case 3: explicit ids.
    const c = await createTrace(experimentId, 'c', 'OK', 3000);
    expect(await deleteTraces({ request_ids: [b] })).toBe(1);
    expect(await exists(b)).toBe(false);
    expect(await exists(c)).toBe(true);

    // An id of another experiment is not touched.
    const elsewhere = await createExperiment('delete traces elsewhere');
    const foreign = await createTrace(elsewhere, 'f', 'OK', 1000);
    expect(await deleteTraces({ request_ids: [foreign] })).toBe(0);
    expect(await exists(foreign)).toBe(true);

    for (const body of [
      {},
      { max_timestamp_millis: 1, request_ids: [c] },
      { request_ids: [c], max_traces: 1 },
    ]) {
      const res = await send('post', v2('traces/delete-traces'), {
        experiment_id: experimentId,
        ...body,
      });
      expect([body, res.status, res.body.error_code]).toEqual([
        body,
        400,
        'INVALID_PARAMETER_VALUE',
      ]);
    }
    expect(await exists(c)).toBe(true);
  });

  it('sets and deletes trace tags (test_set_and_delete_trace_tag)', async () => {
    const experimentId = await createExperiment('set delete tag');
    const info = await startTrace(experimentId, 1000, { tag1: 'red', tag2: 'blue' });
    const set = await send('patch', v2(`traces/${info.request_id}/tags`), {
      key: 'tag1',
      value: 'green',
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({});
    let fetched = (await getTraceInfo(info.request_id)).body.trace_info as TraceInfoJson;
    expect(asMap(fetched.tags).tag1).toBe('green');

    const deleted = await send('delete', v2(`traces/${info.request_id}/tags`), { key: 'tag2' });
    expect(deleted.status).toBe(200);
    fetched = (await getTraceInfo(info.request_id)).body.trace_info as TraceInfoJson;
    expect(asMap(fetched.tags)).not.toHaveProperty('tag2');

    const again = await send('delete', v2(`traces/${info.request_id}/tags`), { key: 'tag2' });
    expect(again.status).toBe(404);
    expect(again.body.message).toBe(
      `No trace tag with key 'tag2' for trace with request_id '${info.request_id}'`,
    );
  });

  it('serves the trace data the client uploaded (test_get_trace_artifact_handler)', async () => {
    const experimentId = await createExperiment('get trace artifact');
    const info = await startTrace(experimentId, 1000);
    const artifact = (id: string) =>
      t.http.get('/ajax-api/2.0/mlflow/get-trace-artifact').query({ request_id: id });

    const before = await artifact(info.request_id);
    expect(before.status).toBe(404);
    expect(before.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');

    const data = JSON.stringify({ spans: [{ name: 'test', attributes: { fruit: '"apple"' } }] });
    const upload = await t.http
      .put(
        `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/traces/${info.request_id}/artifacts/traces.json`,
      )
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from(data));
    expect(upload.status).toBe(200);
    await endTrace(info.request_id, 2000, 'OK');

    const res = await artifact(info.request_id);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename=traces.json');
    expect(JSON.parse(res.text)).toEqual(JSON.parse(data));

    const noId = await t.http.get('/ajax-api/2.0/mlflow/get-trace-artifact');
    expect(noId.status).toBe(400);
    expect(noId.body.message).toBe('Request must include the "request_id" query parameter.');
    // The proxy refuses trace paths of traces that do not exist there.
    const stray = await t.http
      .put(
        `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/traces/tr-nope/artifacts/traces.json`,
      )
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from('{}'));
    expect(stray.status).toBe(404);
  });

  describe('MLflow 3.x shapes (/api/3.0)', () => {
    const location = (experimentId: string) => ({
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: experimentId },
    });

    async function startV3(experimentId: string, traceId: string, extra: object = {}) {
      return send('post', v3('traces'), {
        trace: {
          trace_info: {
            trace_id: traceId,
            client_request_id: 'client-1',
            trace_location: location(experimentId),
            request_preview: '{"question": "hi"}',
            response_preview: '"hello"',
            request_time: '2024-12-02T00:40:00.123Z',
            execution_duration: '1.5s',
            state: 'OK',
            trace_metadata: { 'mlflow.traceInputs': '{"question": "hi"}', 'mlflow.user': 'flops' },
            tags: { 'mlflow.traceName': 'predict', env: 'prod' },
            ...extra,
          },
        },
      });
    }

    it('records a trace as the 3.x client sends it and answers TraceInfoV3', async () => {
      const experimentId = await createExperiment('v3 traces');
      const traceId = 'tr-0123456789abcdef0123456789abcdef';
      const res = await startV3(experimentId, traceId);
      expect(res.status).toBe(200);
      const expected = {
        trace_id: traceId,
        client_request_id: 'client-1',
        trace_location: location(experimentId),
        request_preview: '{"question": "hi"}',
        response_preview: '"hello"',
        request_time: '2024-12-02T00:40:00.123Z',
        execution_duration: '1.500s',
        state: 'OK',
        trace_metadata: { 'mlflow.traceInputs': '{"question": "hi"}', 'mlflow.user': 'flops' },
        tags: {
          env: 'prod',
          'mlflow.artifactLocation': `mlflow-artifacts:/${experimentId}/traces/${traceId}/artifacts`,
          'mlflow.traceName': 'predict',
        },
      };
      expect(res.body).toEqual({ trace: { trace_info: expected } });

      const get = await t.http.get(v3(`traces/${traceId}`));
      expect(get.status).toBe(200);
      expect(get.body).toEqual({ trace: { trace_info: expected } });

      // The same trace through the 2.x routes, as the 2.x client reads it.
      const v2Info = (await getTraceInfo(traceId)).body.trace_info as TraceInfoJson;
      expect(v2Info).toMatchObject({
        request_id: traceId,
        experiment_id: experimentId,
        timestamp_ms: Date.parse('2024-12-02T00:40:00.123Z'),
        execution_time_ms: 1500,
        status: 'OK',
      });
      expect(asMap(v2Info.request_metadata)['mlflow.traceOutputs']).toBe('"hello"');

      // Sent again (a retry), it updates in place.
      const again = await startV3(experimentId, traceId, { state: 'ERROR' });
      expect(again.status).toBe(200);
      expect(again.body.trace.trace_info.state).toBe('ERROR');
      const elsewhere = await startV3(await createExperiment('v3 other'), traceId);
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    });

    it('searches, tags and deletes through the 3.0 routes', async () => {
      const experimentId = await createExperiment('v3 search');
      for (const [id, time] of [
        ['tr-a', '2024-12-02T00:00:01Z'],
        ['tr-b', '2024-12-02T00:00:02Z'],
        ['tr-c', '2024-12-02T00:00:03Z'],
      ]) {
        expect((await startV3(experimentId, id, { request_time: time })).status).toBe(200);
      }
      const page = await send('post', v3('traces/search'), {
        locations: [location(experimentId)],
        filter: "tags.env = 'prod'",
        max_results: 2,
      });
      expect(page.status).toBe(200);
      expect(page.body.traces.map((x: { trace_id: string }) => x.trace_id)).toEqual([
        'tr-c',
        'tr-b',
      ]);
      expect(page.body.traces[0].request_time).toBe('2024-12-02T00:00:03Z');
      const rest = await send('post', v3('traces/search'), {
        locations: [location(experimentId)],
        filter: "tags.env = 'prod'",
        max_results: 2,
        page_token: page.body.next_page_token,
      });
      expect(rest.body.traces.map((x: { trace_id: string }) => x.trace_id)).toEqual(['tr-a']);
      expect(rest.body.next_page_token).toBeUndefined();

      expect((await send('patch', v3('traces/tr-a/tags'), { key: 'k', value: 'v' })).status).toBe(
        200,
      );
      expect((await t.http.get(v3('traces/tr-a'))).body.trace.trace_info.tags.k).toBe('v');
      expect((await send('delete', v3('traces/tr-a/tags'), { key: 'k' })).status).toBe(200);
      expect((await t.http.get(v3('traces/tr-a'))).body.trace.trace_info.tags).not.toHaveProperty(
        'k',
      );

      const deleted = await send('post', v3('traces/delete-traces'), {
        experiment_id: experimentId,
        request_ids: ['tr-a', 'tr-b'],
      });
      expect(deleted.body).toEqual({ traces_deleted: 2 });
      expect((await t.http.get(v3('traces/tr-a'))).status).toBe(404);
    });

    it('refuses malformed 3.x traces with 400 before writing', async () => {
      const experimentId = await createExperiment('v3 invalid');
      for (const extra of [
        { trace_id: 'tr/../../x' },
        { request_time: 'yesterday' },
        { execution_duration: '5 minutes' },
        { tags: { k: 1 } },
        { request_preview: 'x'.repeat(1001) },
      ]) {
        const res = await startV3(experimentId, 'tr-invalid', extra);
        expect([extra, res.status, res.body.error_code]).toEqual([
          extra,
          400,
          'INVALID_PARAMETER_VALUE',
        ]);
      }
      const noLocation = await send('post', v3('traces'), {
        trace: { trace_info: { trace_id: 'tr-x', request_time: '2024-12-02T00:00:00Z' } },
      });
      expect(noLocation.status).toBe(400);
      expect((await t.http.get(v3('traces/tr-invalid'))).status).toBe(404);
    });

    it('answers an MLflow 2.x-only client path on 3.0 with ENDPOINT_NOT_FOUND', async () => {
      const res = await t.http.get(v3(`traces/${'a'.repeat(32)}/info`));
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    });
  });
});

describe.each(BACKENDS)('traces between tenants on %s', (backend) => {
  let t: TestApp;
  let alice: Account;
  let bob: Account;
  let experimentId: string;
  let requestId: string;

  const as = (account: Account, method: 'get' | 'post' | 'patch', url: string, body?: unknown) => {
    const req = t.http[method](url).set('Authorization', account.authorization);
    return body === undefined
      ? req
      : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };

  beforeAll(async () => {
    t = await createTestApp(backend, { env: AUTH_ENV });
    alice = await createAccount(t.app, 'alice');
    bob = await createAccount(t.app, 'bob');
    experimentId = (
      await as(alice, 'post', '/api/2.0/mlflow/experiments/create', { name: 'alice traces' })
    ).body.experiment_id as string;
    requestId = (
      await as(alice, 'post', '/api/2.0/mlflow/traces', {
        experiment_id: experimentId,
        timestamp_ms: 1000,
        tags: [{ key: 'owner', value: 'alice-secret' }],
      })
    ).body.trace_info.request_id as string;
  });

  afterAll(async () => {
    await t.close();
  });

  it("answers another tenant's trace with the trace's own not-found, on both API versions", async () => {
    const message = `Trace with request_id '${requestId}' not found.`;
    for (const url of [
      `/api/2.0/mlflow/traces/${requestId}/info`,
      `/api/3.0/mlflow/traces/${requestId}`,
      `/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${requestId}`,
    ]) {
      const res = await as(bob, 'get', url);
      expect([url, res.status, res.body]).toEqual([
        url,
        404,
        { error_code: 'RESOURCE_DOES_NOT_EXIST', message },
      ]);
    }
    const tag = await as(bob, 'patch', `/api/2.0/mlflow/traces/${requestId}/tags`, {
      key: 'k',
      value: 'v',
    });
    expect(tag.status).toBe(404);
    expect(tag.body.message).toBe(message);
  });

  it('hides them from searches in SQL, and lets the owner see them', async () => {
    const bobs = await as(bob, 'get', `/api/2.0/mlflow/traces?experiment_ids=${experimentId}`);
    expect(bobs.status).toBe(200);
    expect(bobs.body).toEqual({});
    const v3 = await as(bob, 'post', '/api/3.0/mlflow/traces/search', {
      locations: [
        { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
      ],
    });
    expect(v3.body).toEqual({});
    const alices = await as(alice, 'get', `/api/2.0/mlflow/traces?experiment_ids=${experimentId}`);
    expect(alices.body.traces.map((x: TraceInfoJson) => x.request_id)).toEqual([requestId]);
  });

  it("refuses writing a trace into another tenant's experiment before writing anything", async () => {
    const v2 = await as(bob, 'post', '/api/2.0/mlflow/traces', {
      experiment_id: experimentId,
      timestamp_ms: 1,
    });
    expect(v2.status).toBe(404);
    expect(v2.body.message).toBe(`No Experiment with id=${experimentId} exists`);
    const v3 = await as(bob, 'post', '/api/3.0/mlflow/traces', {
      trace: {
        trace_info: {
          trace_id: 'tr-bob',
          trace_location: {
            type: 'MLFLOW_EXPERIMENT',
            mlflow_experiment: { experiment_id: experimentId },
          },
          request_time: '2024-12-02T00:00:00Z',
        },
      },
    });
    expect(v3.status).toBe(404);
    const deleted = await as(bob, 'post', '/api/2.0/mlflow/traces/delete-traces', {
      experiment_id: experimentId,
      max_timestamp_millis: Date.now(),
    });
    expect(deleted.status).toBe(404);
    const alices = await as(alice, 'get', `/api/2.0/mlflow/traces?experiment_ids=${experimentId}`);
    expect(alices.body.traces).toHaveLength(1);
  });
});
