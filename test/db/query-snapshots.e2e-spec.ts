import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  ExperimentStore,
  FlopsStore,
  IdentityStore,
  LoggedModelStore,
  ModelRegistryStore,
  RunStore,
  TraceStore,
} from '@app/domain';
import { hashPassword } from '@app/http';
import { SqlExecutor, SqlRunner } from '@app/persistence';

import { BACKENDS } from '../support/backends';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Every SQL statement the stores send, per dialect, committed under libs/persistence/queries/ so
 * that a query change shows in review (immich's generated query files). A scripted tour of the API
 * reaches every store method (checked below); the statements it sends are recorded on the
 * SqlExecutor and compared with the committed file. `UPDATE_SQL_SNAPSHOTS=1` rewrites the files.
 * The tour runs as a signed-in user who is not an admin, so the access checks' lookups and the
 * searches' permission predicates are in the files too.
 */
const TOUR_USER = { username: 'snap-user', password: 'snapshot-tour-Passw0rd' };
const SNAPSHOT_DIR = join(__dirname, '../../libs/persistence/queries');
const AJAX_ONLY = new Set(['metrics/get-history-bulk', 'experiments/search-datasets']);
const STORE_PORTS = {
  ExperimentStore,
  RunStore,
  LoggedModelStore,
  TraceStore,
  ModelRegistryStore,
  FlopsStore,
} as const;

describe.each(BACKENDS)('SQL snapshots on %s', (backend) => {
  let t: TestApp;
  let label = 'boot';
  const statements = new Map<string, Set<string>>();
  const calledMethods = new Set<string>();

  const record = (sql: string) => {
    const set = statements.get(label) ?? new Set<string>();
    set.add(normalise(sql));
    statements.set(label, set);
  };

  beforeAll(async () => {
    t = await createTestApp(backend, {
      env: {
        AUTH_MODE: 'basic',
        AUTH_ADMIN_USERNAME: 'admin',
        AUTH_ADMIN_PASSWORD: 'snapshot-root-Passw0rd',
      },
    });
    await t.app.get(IdentityStore).createUser({
      username: TOUR_USER.username,
      passwordHash: await hashPassword(TOUR_USER.password),
      isAdmin: false,
    });
    instrumentExecutor(t.app.get(SqlExecutor), record);
    for (const [portName, port] of Object.entries(STORE_PORTS)) {
      const store = t.app.get<object>(port);
      for (const method of storeMethods(port.prototype)) {
        const original = (store as Record<string, (...args: unknown[]) => unknown>)[method];
        (store as Record<string, unknown>)[method] = (...args: unknown[]) => {
          calledMethods.add(`${portName}.${method}`);
          return original.apply(store, args);
        };
      }
    }
  });

  afterAll(async () => {
    await t.close();
  });

  async function call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    label = `${method} ${path
      .replace(/^logged-models\/(?!search)[^/]+/, 'logged-models/:model_id')
      .replace(/^traces\/(?!delete-traces|link-to-run)[^/]+/, 'traces/:request_id')}`;
    const url = `/${AJAX_ONLY.has(path) ? 'ajax-api' : 'api'}/2.0/mlflow/${path}`;
    let req =
      method === 'GET'
        ? t.http.get(url).query(body ?? {})
        : t.http[method === 'POST' ? 'post' : method === 'PATCH' ? 'patch' : 'delete'](url);
    req = req.auth(TOUR_USER.username, TOUR_USER.password);
    if (method !== 'GET') {
      req = req.set('Content-Type', 'application/json').send(JSON.stringify(body ?? {}));
    }
    const res = await req;
    if (res.status !== 200) throw new Error(`${label} answered ${res.status}: ${res.text}`);
    return res.body as Record<string, unknown>;
  }

  /** A FLOps view route (`/api/2.0/flops/<path>`), labelled with its pattern. */
  async function flops(
    method: 'GET' | 'POST',
    path: string,
    pattern: string,
    body?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    label = `${method} flops/${pattern}`;
    const url = `/api/2.0/flops/${path}`;
    let req = method === 'GET' ? t.http.get(url).query(body ?? {}) : t.http.post(url);
    req = req.auth(TOUR_USER.username, TOUR_USER.password);
    if (method !== 'GET') {
      req = req.set('Content-Type', 'application/json').send(JSON.stringify(body ?? {}));
    }
    const res = await req;
    if (res.status !== 200) throw new Error(`${label} answered ${res.status}: ${res.text}`);
    return res.body as Record<string, unknown>;
  }

  it('matches the committed statements of every store method', async () => {
    const experiment = (await call('POST', 'experiments/create', {
      name: 'snap',
      tags: [{ key: 'team', value: 'fl' }],
    })) as { experiment_id: string };
    const experimentId = experiment.experiment_id;
    await call('GET', 'experiments/get', { experiment_id: experimentId });
    await call('GET', 'experiments/get-by-name', { experiment_name: 'snap' });
    await call('POST', 'experiments/update', { experiment_id: experimentId, new_name: 'snap2' });
    await call('POST', 'experiments/set-experiment-tag', {
      experiment_id: experimentId,
      key: 'k',
      value: 'v',
    });
    await call('POST', 'experiments/delete-experiment-tag', {
      experiment_id: experimentId,
      key: 'k',
    });
    await call('POST', 'experiments/search', {
      filter: "name LIKE 'snap%' AND tags.team = 'fl'",
      order_by: ['last_update_time DESC'],
      max_results: 10,
    });

    const run = (await call('POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: 'FLOps FL round 1',
      start_time: 1700000000000,
      tags: [{ key: 'round', value: '1' }],
    })) as { run: { info: { run_id: string } } };
    const runId = run.run.info.run_id;
    await call('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 1700000000001, step: 0 },
        { key: 'loss', value: 0.4, timestamp: 1700000000002, step: 1 },
        { key: 'accuracy', value: 0.9, timestamp: 1700000000002, step: 1 },
      ],
      params: [{ key: 'strategy', value: 'FedAvg' }],
      tags: [{ key: 'note', value: 'x' }],
    });
    await call('POST', 'runs/log-metric', {
      run_id: runId,
      key: 'loss',
      value: 0.3,
      timestamp: 1700000000003,
      step: 2,
    });
    await call('POST', 'runs/log-parameter', { run_id: runId, key: 'rounds', value: '3' });
    await call('POST', 'runs/set-tag', { run_id: runId, key: 'k', value: 'v' });
    await call('POST', 'runs/delete-tag', { run_id: runId, key: 'k' });
    await call('POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'mnist',
            digest: 'abc',
            source_type: 'local',
            source: '{"uri": "mnist"}',
          },
        },
      ],
    });
    await call('POST', 'runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: 1700000001000,
    });
    await call('GET', 'runs/get', { run_id: runId });
    await call('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss' });
    await call('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 1 });
    await call('GET', 'metrics/get-history-bulk-interval', {
      run_ids: runId,
      metric_key: 'loss',
      max_results: 10,
    });
    await call('GET', 'metrics/get-history-bulk', { run_id: runId, metric_key: 'loss' });
    for (const search of [
      { filter: "metrics.loss < 1 AND params.strategy = 'FedAvg'", order_by: ['metrics.loss ASC'] },
      {
        filter: "tags.round = '1' AND attributes.status = 'FINISHED'",
        order_by: ['params.strategy'],
      },
      { filter: "run_name LIKE 'FLOps%'", order_by: ['tags.round DESC', 'start_time'] },
      { filter: "dataset.name IN ('mnist')", order_by: [] },
    ]) {
      await call('POST', 'runs/search', {
        experiment_ids: [experimentId],
        max_results: 5,
        ...search,
      });
    }
    await call('POST', 'experiments/search-datasets', { experiment_ids: [experimentId] });

    const model = (await call('POST', 'logged-models', {
      experiment_id: experimentId,
      name: 'global',
      source_run_id: runId,
      params: [{ key: 'p', value: '1' }],
      tags: [{ key: 't', value: '1' }],
    })) as { model: { info: { model_id: string } } };
    const modelId = model.model.info.model_id;
    await call('GET', `logged-models/${modelId}`);
    await call('POST', `logged-models/${modelId}/params`, { params: [{ key: 'q', value: '2' }] });
    await call('PATCH', `logged-models/${modelId}/tags`, { tags: [{ key: 'u', value: '3' }] });
    await call('DELETE', `logged-models/${modelId}/tags/u`);
    await call('PATCH', `logged-models/${modelId}`, { status: 'LOGGED_MODEL_READY' });
    await call('POST', 'logged-models/search', {
      experiment_ids: [experimentId],
      filter: "name = 'global'",
      order_by: [{ field_name: 'creation_time', ascending: false }],
    });
    await call('POST', 'runs/outputs', {
      run_id: runId,
      models: [{ model_id: modelId, step: 0 }],
    });
    await call('POST', 'runs/log-model', {
      run_id: runId,
      model_json: JSON.stringify({
        artifact_path: 'model',
        flavors: {},
        run_id: runId,
        utc_time_created: '2026-12-02 10:00:00.000000',
      }),
    });

    await call('POST', 'registered-models/create', {
      name: 'flops-model',
      tags: [{ key: 'k', value: 'v' }],
      description: 'd',
    });
    await call('GET', 'registered-models/get', { name: 'flops-model' });
    await call('PATCH', 'registered-models/update', { name: 'flops-model', description: 'e' });
    await call('POST', 'registered-models/set-tag', { name: 'flops-model', key: 'a', value: 'b' });
    await call('DELETE', 'registered-models/delete-tag', { name: 'flops-model', key: 'a' });
    await call('POST', 'model-versions/create', {
      name: 'flops-model',
      source: `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`,
      run_id: runId,
      tags: [{ key: 'k', value: 'v' }],
    });
    await call('POST', 'model-versions/create', {
      name: 'flops-model',
      source: `models:/${modelId}`,
      model_id: modelId,
    });
    await call('GET', 'model-versions/get', { name: 'flops-model', version: '1' });
    await call('PATCH', 'model-versions/update', {
      name: 'flops-model',
      version: '1',
      description: 'best round',
    });
    await call('POST', 'model-versions/set-tag', {
      name: 'flops-model',
      version: '1',
      key: 'a',
      value: 'b',
    });
    await call('DELETE', 'model-versions/delete-tag', {
      name: 'flops-model',
      version: '1',
      key: 'a',
    });
    await call('POST', 'model-versions/transition-stage', {
      name: 'flops-model',
      version: '1',
      stage: 'Production',
      archive_existing_versions: true,
    });
    await call('POST', 'registered-models/get-latest-versions', {
      name: 'flops-model',
      stages: ['Production'],
    });
    await call('POST', 'registered-models/alias', {
      name: 'flops-model',
      alias: 'best',
      version: '1',
    });
    await call('GET', 'registered-models/alias', { name: 'flops-model', alias: 'best' });
    await call('DELETE', 'registered-models/alias', { name: 'flops-model', alias: 'best' });
    await call('GET', 'model-versions/get-download-uri', { name: 'flops-model', version: '1' });
    await call('GET', 'model-versions/search', {
      filter: "name = 'flops-model' AND tags.k = 'v'",
      order_by: 'version_number DESC',
      max_results: 10,
    });
    await call('GET', 'registered-models/search', {
      filter: "name LIKE 'flops%'",
      order_by: 'name ASC',
      max_results: 10,
    });
    await call('POST', 'registered-models/rename', { name: 'flops-model', new_name: 'flops-m2' });
    await call('DELETE', 'model-versions/delete', { name: 'flops-m2', version: '2' });
    await call('DELETE', 'registered-models/delete', { name: 'flops-m2' });

    const trace = (await call('POST', 'traces', {
      experiment_id: experimentId,
      timestamp_ms: 1700000000000,
      request_metadata: [{ key: 'mlflow.sourceRun', value: runId }],
      tags: [{ key: 'mlflow.traceName', value: 'predict' }],
    })) as { trace_info: { request_id: string } };
    const requestId = trace.trace_info.request_id;
    await call('PATCH', `traces/${requestId}`, {
      timestamp_ms: 1700000000500,
      status: 'OK',
      tags: [{ key: 't', value: '1' }],
    });
    await call('GET', `traces/${requestId}/info`);
    await call('PATCH', `traces/${requestId}/tags`, { key: 'k', value: 'v' });
    await call('DELETE', `traces/${requestId}/tags`, { key: 'k' });
    await call('POST', 'traces/link-to-run', { trace_ids: [requestId], run_id: runId });
    await call('GET', 'traces', {
      experiment_ids: [experimentId],
      filter: `name = 'predict' AND run_id = '${runId}' AND tags.t = '1' AND timestamp_ms > 0`,
      order_by: 'execution_time_ms DESC',
      max_results: 10,
    });
    await call('POST', 'traces/delete-traces', {
      experiment_id: experimentId,
      max_timestamp_millis: 1700000000000,
      max_traces: 5,
    });
    const project = (await flops('POST', 'projects', 'projects', {
      project_id: 'snap',
      objective: 'loss:min',
    })) as { project: { experiment_id: string } };
    const projectKey = project.project.experiment_id;
    await flops('POST', `projects/${projectKey}/rounds`, 'projects/:id/rounds', { round: 1 });
    await flops('POST', `projects/${projectKey}/rounds/1/finish`, 'projects/:id/rounds/:n/finish', {
      metrics: [{ key: 'loss', value: 0.2 }],
    });
    await flops('GET', 'projects', 'projects', { state: 'finished', name: 'snap' });
    await flops('GET', `projects/${projectKey}`, 'projects/:id');
    await flops('GET', `projects/${projectKey}/rounds`, 'projects/:id/rounds');
    await flops('GET', `projects/${projectKey}/rounds/1`, 'projects/:id/rounds/:n');
    await flops('GET', `projects/${projectKey}/series`, 'projects/:id/series', {
      metrics: 'loss',
      system: 'true',
    });
    await flops('GET', 'series', 'series', { projects: projectKey, metrics: 'loss' });
    await flops('GET', `projects/${projectKey}/best-round`, 'projects/:id/best-round');

    await call('DELETE', `logged-models/${modelId}`);
    await call('POST', 'runs/delete', { run_id: runId });
    await call('POST', 'runs/restore', { run_id: runId });
    await call('POST', 'experiments/delete', { experiment_id: experimentId });
    await call('POST', 'experiments/restore', { experiment_id: experimentId });

    const missed = Object.entries(STORE_PORTS)
      .flatMap(([name, port]) => storeMethods(port.prototype as object).map((m) => `${name}.${m}`))
      .filter((m) => !calledMethods.has(m));
    expect(missed).toEqual([]);

    const rendered = render(statements);
    const file = join(SNAPSHOT_DIR, `${backend}.sql`);
    if (process.env.UPDATE_SQL_SNAPSHOTS === '1') writeFileSync(file, rendered);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    // On a difference: review it, then `UPDATE_SQL_SNAPSHOTS=1 npx jest test/db/query-snapshots`.
    expect(rendered).toEqual(committed);
  });
});

function storeMethods(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter((name) => name !== 'constructor');
}

/** Records the text of every statement the executor runs, inside transactions and batches too. */
function instrumentExecutor(sql: SqlExecutor, record: (text: string) => void): void {
  const wrapRunner = (runner: SqlRunner): SqlRunner =>
    new Proxy(runner, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if ((property === 'select' || property === 'execute') && typeof value === 'function') {
          return (text: string, ...rest: unknown[]) => {
            record(text);
            return (value as (...args: unknown[]) => unknown).call(target, text, ...rest);
          };
        }
        return value;
      },
    });
  const select = sql.select.bind(sql);
  const execute = sql.execute.bind(sql);
  const transaction = sql.transaction.bind(sql);
  const executeBatch = sql.executeBatch.bind(sql);
  Object.assign(sql, {
    select: (text: string, params?: never) => (record(text), select(text, params)),
    execute: (text: string, params?: never) => (record(text), execute(text, params)),
    transaction: (work: (tx: SqlRunner) => Promise<unknown>) =>
      transaction((tx) => work(wrapRunner(tx))),
    executeBatch: (batch: { sql: string }[]) => {
      for (const statement of batch) record(statement.sql);
      return executeBatch(batch as never);
    },
  });
}

/**
 * One statement a line, whitespace collapsed; the parts that grow with the input (multi-row VALUES,
 * IN lists, UNION ALL chains of one shape) are folded so a snapshot does not depend on the data.
 */
function normalise(sql: string): string {
  let text = sql.replace(/\s+/g, ' ').trim();
  text = text.replace(/\?(?:, \?)+/g, '?, …');
  text = text.replace(/(\([^()]*\))(?:, \1)+/g, '$1, …');
  return text;
}

function render(statements: Map<string, Set<string>>): string {
  const lines = ['-- Generated by test/db/query-snapshots.e2e-spec.ts: every statement, by route.'];
  for (const [route, set] of [...statements.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push('', `-- ${route}`, ...[...set].map((s) => `${s};`));
  }
  return `${lines.join('\n')}\n`;
}
