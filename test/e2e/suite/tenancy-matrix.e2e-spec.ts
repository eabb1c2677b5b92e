import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isWebUiRoute, MlflowService } from '@app/http';

import { ARTIFACT_PROXY_SERVICE } from '../../../apps/artifact-proxy/src/artifact-proxy-app.module';
import { MODEL_REGISTRY_SERVICE } from '../../../apps/model-registry/src/model-registry-app.module';
import { TRACKING_SERVICE } from '../../../apps/tracking/src/tracking-app.module';
import { Backend, BACKENDS } from '../../support/backends';
import { createScratchDatabase } from '../../support/mysql';
import {
  Account,
  ADMIN_AUTHORIZATION,
  Answer,
  AUTH_ENV,
  createAccount,
  createScopedToken,
  createTenantFixtures,
  Deployment,
  deploymentRoutes,
  MatrixRequest,
  Method,
  PROXY,
  send,
  serviceOf,
  splitDeployment,
  suiteDeployment,
  TenantFixtures,
  withQuery,
} from '../../support/tenants';
import { createTestApp, migrate } from '../../support/test-app';
import { createDestination, DestinationKind } from '../artifact-proxy/artifact-support';

/**
 * - `resource`: names one of the target's resources; others get its 404 (or 403).
 * - `search`: lists what the caller may read; the target's items appear for those who may.
 * - `create`: makes something new that the caller owns; names nothing of anyone's.
 * - `global`: about the server (`/version`).
 */
type Kind = 'resource' | 'search' | 'create' | 'global';

/** The concrete parts of one request; `path` replaces the route pattern (`:model_id`, `*`). */
interface Shape {
  path?: string;
  query?: Record<string, string | string[]>;
  json?: unknown;
  raw?: string;
}

interface RouteSpec {
  kind: Kind;
  /** Declared `aggregator: true`: open to a scoped token inside its project. */
  token: boolean;
  /** Spends what it targets (deletes, renames): the positive cases run on a throwaway copy. */
  destructive?: boolean;
  /** What the owner gets when it is not 200 (multipart upload on these stores: 501). */
  ownStatus?: number;
  /** Brings a throwaway copy into the state the allowed request needs (restore: deleted). */
  prepare?: (d: Deployment, f: TenantFixtures) => Promise<void>;
  build: (f: TenantFixtures, base: string) => Shape | Shape[];
}

interface RouteCase extends Omit<RouteSpec, 'build'> {
  key: string;
  method: Method;
  requests(f: TenantFixtures): MatrixRequest[];
}

function toRequest(method: Method, pattern: string, shape: Shape): MatrixRequest {
  const path = shape.path ?? pattern;
  // MLflow reads the query only of a GET: a HEAD carries its fields as a JSON body.
  if (method === 'HEAD' && shape.query) return { method, url: path, json: shape.query };
  return {
    method,
    url: shape.query ? withQuery(path, shape.query) : path,
    json: shape.json,
    raw: shape.raw,
  };
}

// Each phase sends a few hundred requests; the split services on FTP/SFTP take the longest.
jest.setTimeout(300_000);

const API = '/api/2.0/mlflow';
const AJAX = '/ajax-api/2.0/mlflow';
const API_V3 = '/api/3.0/mlflow';
const AJAX_V3 = '/ajax-api/3.0/mlflow';
const PROXY_PREFIXES = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'];
const TIME = 1_700_000_000_000;

let sequence = 0;
const unique = (prefix: string) => `${prefix}${++sequence}`;

function route(method: Method, pattern: string, base: string, spec: RouteSpec): RouteCase {
  return {
    ...spec,
    key: `${method} ${pattern}`,
    method,
    requests: (f) =>
      ([] as Shape[]).concat(spec.build(f, base)).map((shape) => toRequest(method, pattern, shape)),
  };
}

/** The HEAD twin Fastify serves for a GET route, through the same handler and guard. */
function headOf(method: Method, pattern: string, base: string, spec: RouteSpec): RouteCase[] {
  return method === 'GET' ? [route('HEAD', pattern, base, spec)] : [];
}

/** A route (with its HEAD twin when it is a GET) under each of `bases`. */
function under(bases: string[], method: Method, path: string, spec: RouteSpec): RouteCase[] {
  return bases.flatMap((base) => {
    const pattern = `${base}/${path}`;
    return [route(method, pattern, base, spec), ...headOf(method, pattern, base, spec)];
  });
}

/** An MLflow route under both `/api/2.0/mlflow` and its `/ajax-api` mirror. */
const mlflow = (method: Method, path: string, spec: RouteSpec) =>
  under([API, AJAX], method, path, spec);
/** An MLflow 3.x route under `/api/3.0/mlflow` and its `/ajax-api` mirror. */
const mlflowV3 = (method: Method, path: string, spec: RouteSpec) =>
  under([API_V3, AJAX_V3], method, path, spec);
const ajaxOnly = (method: Method, path: string, spec: RouteSpec) =>
  under([AJAX], method, path, spec);
const proxy = (method: Method, path: string, spec: RouteSpec) =>
  under(PROXY_PREFIXES, method, path, spec);
/** A FLOps view route (`/api/2.0/flops`, no ajax mirror). */
const flops = (method: Method, path: string, spec: RouteSpec) =>
  under(['/api/2.0/flops'], method, path, spec);
const projectPath = (f: TenantFixtures, base: string, rest = '') =>
  `${base}/projects/${f.experimentId}${rest}`;
let nextRound = 100;
/** A route outside the API trees (UI downloads, `/version`). */
const root = (method: Method, path: string, spec: RouteSpec) => under([''], method, path, spec);

/** A route on one resource that a scoped token may use in its project (`aggregator: true`). */
const scoped = (build: RouteSpec['build']): RouteSpec => ({ kind: 'resource', token: true, build });
/** A route on one resource that scoped tokens may not use. */
const unscoped = (build: RouteSpec['build']): RouteSpec => ({
  kind: 'resource',
  token: false,
  build,
});
const search = (token: boolean, build: RouteSpec['build']): RouteSpec => ({
  kind: 'search',
  token,
  build,
});
const spend = (build: RouteSpec['build']): RouteSpec => ({
  kind: 'resource',
  token: false,
  destructive: true,
  build,
});

const runOf = (f: TenantFixtures) => ({ run_id: f.runId });
const modelOf = (f: TenantFixtures) => ({ name: f.modelName });
const versionOf = (f: TenantFixtures) => ({ name: f.modelName, version: '1' });
const loggedModelPath = (f: TenantFixtures, base: string, rest = '') =>
  `${base}/logged-models/${f.loggedModelId}${rest}`;
const tracePath = (f: TenantFixtures, base: string, rest = '') =>
  `${base}/traces/${f.traceId}${rest}`;
const experimentLocation = (f: TenantFixtures) => ({
  type: 'MLFLOW_EXPERIMENT',
  mlflow_experiment: { experiment_id: f.experimentId },
});
const artifactFile = (f: TenantFixtures, base: string) => `${base}/artifacts/${f.runPrefix}/f.txt`;
const mpu = (op: string, json: unknown): RouteCase[] =>
  proxy('POST', `mpu/${op}/*`, {
    kind: 'resource',
    token: true,
    ownStatus: 501,
    build: (f, base) => ({ path: `${base}/mpu/${op}/${f.runPrefix}/big.bin`, json }),
  });

/**
 * Every protected route, keyed as the router registered it, with the request it makes against a
 * target tenant (the HEAD twin of each GET route included).
 */
const MATRIX: RouteCase[] = [
  ...mlflow('POST', 'experiments/create', {
    kind: 'create',
    token: false,
    build: () => ({ json: { name: unique('matrix-experiment-') } }),
  }),
  ...mlflow(
    'GET',
    'experiments/get',
    scoped((f) => ({ query: { experiment_id: f.experimentId } })),
  ),
  ...mlflow(
    'GET',
    'experiments/get-by-name',
    scoped((f) => ({ query: { experiment_name: f.experimentName } })),
  ),
  ...mlflow(
    'POST',
    'experiments/search',
    search(true, () => ({ json: { max_results: 1000 } })),
  ),
  ...mlflow(
    'GET',
    'experiments/search',
    search(true, () => ({ query: { max_results: '1000' } })),
  ),
  ...mlflow(
    'GET',
    'experiments/list',
    search(true, () => ({ query: { max_results: '1000' } })),
  ),
  ...mlflow(
    'POST',
    'experiments/update',
    spend((f) => ({ json: { experiment_id: f.experimentId, new_name: `${f.label}-renamed` } })),
  ),
  ...mlflow(
    'POST',
    'experiments/delete',
    spend((f) => ({ json: { experiment_id: f.experimentId } })),
  ),
  ...mlflow('POST', 'experiments/restore', {
    ...spend((f) => ({ json: { experiment_id: f.experimentId } })),
    prepare: async (d, f) => {
      const deleted = await send(
        d,
        {
          method: 'POST',
          url: `${API}/experiments/delete`,
          json: { experiment_id: f.experimentId },
        },
        f.owner.authorization,
      );
      expect(deleted.status).toBe(200);
    },
  }),
  ...mlflow(
    'POST',
    'experiments/set-experiment-tag',
    unscoped((f) => ({
      json: { experiment_id: f.experimentId, key: unique('matrix-tag-'), value: 'v' },
    })),
  ),
  ...mlflow(
    'POST',
    'experiments/delete-experiment-tag',
    spend((f) => ({ json: { experiment_id: f.experimentId, key: 'et' } })),
  ),

  ...mlflow(
    'POST',
    'logged-models',
    scoped((f) => ({
      json: {
        experiment_id: f.experimentId,
        name: unique('matrix-logged-model-'),
        source_run_id: f.runId,
      },
    })),
  ),
  ...mlflow(
    'POST',
    'logged-models/search',
    search(true, (f) => ({ json: { experiment_ids: [f.experimentId] } })),
  ),
  ...mlflow(
    'GET',
    'logged-models/:model_id',
    scoped((f, base) => ({ path: loggedModelPath(f, base) })),
  ),
  ...mlflow(
    'PATCH',
    'logged-models/:model_id',
    scoped((f, base) => ({
      path: loggedModelPath(f, base),
      json: { model_id: f.loggedModelId, status: 'LOGGED_MODEL_READY' },
    })),
  ),
  ...mlflow(
    'DELETE',
    'logged-models/:model_id',
    spend((f, base) => ({ path: loggedModelPath(f, base) })),
  ),
  ...mlflow(
    'PATCH',
    'logged-models/:model_id/tags',
    scoped((f, base) => ({
      path: loggedModelPath(f, base, '/tags'),
      json: { model_id: f.loggedModelId, tags: [{ key: unique('matrix-tag-'), value: 'v' }] },
    })),
  ),
  ...mlflow(
    'DELETE',
    'logged-models/:model_id/tags/:tag_key',
    spend((f, base) => ({ path: loggedModelPath(f, base, '/tags/lt') })),
  ),
  ...mlflow(
    'POST',
    'logged-models/:model_id/params',
    scoped((f, base) => ({
      path: loggedModelPath(f, base, '/params'),
      json: { model_id: f.loggedModelId, params: [{ key: unique('matrix-param-'), value: '1' }] },
    })),
  ),

  ...mlflow(
    'POST',
    'traces',
    scoped((f) => ({ json: { experiment_id: f.experimentId, timestamp_ms: TIME } })),
  ),
  ...mlflow(
    'GET',
    'traces',
    search(true, (f) => ({ query: { experiment_ids: [f.experimentId] } })),
  ),
  ...mlflow(
    'POST',
    'traces/delete-traces',
    spend((f) => ({ json: { experiment_id: f.experimentId, request_ids: [f.traceId] } })),
  ),
  ...mlflow(
    'POST',
    'traces/link-to-run',
    scoped((f) => ({ json: { trace_ids: [f.traceId], run_id: f.runId } })),
  ),
  ...mlflow(
    'PATCH',
    'traces/:request_id',
    scoped((f, base) => ({
      path: tracePath(f, base),
      json: { timestamp_ms: TIME + 5, status: 'OK' },
    })),
  ),
  ...mlflow(
    'GET',
    'traces/:request_id/info',
    scoped((f, base) => ({ path: tracePath(f, base, '/info') })),
  ),
  ...mlflow(
    'PATCH',
    'traces/:request_id/tags',
    scoped((f, base) => ({
      path: tracePath(f, base, '/tags'),
      json: { key: unique('matrix-tag-'), value: 'v' },
    })),
  ),
  ...mlflow(
    'DELETE',
    'traces/:request_id/tags',
    spend((f, base) => ({ path: tracePath(f, base, '/tags'), json: { key: 'tt' } })),
  ),
  ...ajaxOnly(
    'GET',
    'get-trace-artifact',
    scoped((f) => ({ query: { request_id: f.traceId } })),
  ),
  ...mlflowV3(
    'POST',
    'traces',
    scoped((f) => ({
      json: {
        trace: {
          trace_info: {
            trace_id: unique('tr-matrix-'),
            trace_location: experimentLocation(f),
            request_time: '2024-12-02T00:00:00.250Z',
            execution_duration: '0.5s',
            state: 'OK',
            tags: { tt: f.label },
          },
        },
      },
    })),
  ),
  ...mlflowV3(
    'POST',
    'traces/search',
    search(true, (f) => ({ json: { locations: [experimentLocation(f)] } })),
  ),
  ...mlflowV3(
    'POST',
    'traces/delete-traces',
    spend((f) => ({ json: { experiment_id: f.experimentId, request_ids: [f.traceId] } })),
  ),
  ...mlflowV3(
    'GET',
    'traces/:trace_id',
    scoped((f, base) => ({ path: tracePath(f, base) })),
  ),
  ...mlflowV3(
    'PATCH',
    'traces/:trace_id/tags',
    scoped((f, base) => ({
      path: tracePath(f, base, '/tags'),
      json: { key: unique('matrix-tag-'), value: 'v' },
    })),
  ),
  ...mlflowV3(
    'DELETE',
    'traces/:trace_id/tags',
    spend((f, base) => ({ path: tracePath(f, base, '/tags'), json: { key: 'tt' } })),
  ),

  ...mlflow(
    'POST',
    'runs/create',
    scoped((f) => ({ json: { experiment_id: f.experimentId, start_time: TIME } })),
  ),
  ...mlflow(
    'GET',
    'runs/get',
    scoped((f) => ({ query: runOf(f) })),
  ),
  ...mlflow(
    'POST',
    'runs/update',
    scoped((f) => ({ json: { ...runOf(f), status: 'RUNNING' } })),
  ),
  ...mlflow(
    'POST',
    'runs/delete',
    spend((f) => ({ json: runOf(f) })),
  ),
  ...mlflow(
    'POST',
    'runs/restore',
    spend((f) => ({ json: runOf(f) })),
  ),
  ...mlflow(
    'POST',
    'runs/log-metric',
    scoped((f) => ({
      json: { ...runOf(f), key: 'm', value: 1, timestamp: TIME, step: ++sequence },
    })),
  ),
  ...mlflow(
    'POST',
    'runs/log-parameter',
    scoped((f) => ({ json: { ...runOf(f), key: unique('matrix-param-'), value: '1' } })),
  ),
  ...mlflow(
    'POST',
    'runs/set-tag',
    scoped((f) => ({ json: { ...runOf(f), key: unique('matrix-tag-'), value: 'v' } })),
  ),
  ...mlflow(
    'POST',
    'runs/delete-tag',
    spend((f) => ({ json: { ...runOf(f), key: 't' } })),
  ),
  ...mlflow(
    'POST',
    'runs/log-batch',
    scoped((f) => ({
      json: {
        ...runOf(f),
        metrics: [{ key: 'm', value: 2, timestamp: TIME, step: ++sequence }],
        params: [{ key: unique('matrix-param-'), value: '2' }],
        tags: [{ key: unique('matrix-tag-'), value: 'v' }],
      },
    })),
  ),
  ...mlflow(
    'POST',
    'runs/log-model',
    scoped((f) => ({
      json: {
        ...runOf(f),
        model_json: JSON.stringify({
          run_id: f.runId,
          artifact_path: 'model',
          utc_time_created: '2024-01-01 00:00:00.000000',
          flavors: {},
        }),
      },
    })),
  ),
  ...mlflow(
    'POST',
    'runs/log-inputs',
    scoped((f) => ({
      json: {
        ...runOf(f),
        datasets: [
          {
            dataset: {
              name: unique('matrix-dataset-'),
              digest: 'd',
              source_type: 'local',
              source: '{}',
            },
          },
        ],
      },
    })),
  ),
  ...mlflow(
    'POST',
    'runs/outputs',
    scoped((f) => ({
      json: { ...runOf(f), models: [{ model_id: f.loggedModelId, step: 0 }] },
    })),
  ),
  ...mlflow(
    'POST',
    'runs/search',
    search(true, (f) => ({ json: { experiment_ids: [f.experimentId] } })),
  ),
  ...ajaxOnly(
    'POST',
    'experiments/search-datasets',
    scoped((f) => ({ json: { experiment_ids: [f.experimentId] } })),
  ),

  ...mlflow(
    'GET',
    'metrics/get-history',
    scoped((f) => ({ query: { ...runOf(f), metric_key: 'm' } })),
  ),
  ...mlflow(
    'GET',
    'metrics/get-history-bulk-interval',
    scoped((f) => ({ query: { run_ids: [f.runId], metric_key: 'm' } })),
  ),
  ...ajaxOnly(
    'GET',
    'metrics/get-history-bulk',
    scoped((f) => ({ query: { run_id: [f.runId], metric_key: 'm' } })),
  ),

  ...mlflow(
    'GET',
    'artifacts/list',
    scoped((f) => ({ query: runOf(f) })),
  ),
  ...mlflow(
    'GET',
    'logged-models/:model_id/artifacts/directories',
    scoped((f, base) => ({ path: loggedModelPath(f, base, '/artifacts/directories') })),
  ),
  ...root(
    'GET',
    'get-artifact',
    scoped((f) => ({ query: { ...runOf(f), path: 'f.txt' } })),
  ),
  ...ajaxOnly(
    'POST',
    'upload-artifact',
    unscoped((f) => ({
      query: { run_uuid: f.runId, path: 'uploaded.txt' },
      raw: 'matrix upload',
    })),
  ),
  ...ajaxOnly(
    'POST',
    'runs/create-promptlab-run',
    unscoped((f) => ({
      json: {
        experiment_id: f.experimentId,
        prompt_template: 'Summarise {{ text }}',
        prompt_parameters: [{ key: 'text', value: 'a round' }],
        model_route: 'chat',
        model_input: 'Summarise a round',
        mlflow_version: '2.17.2',
        start_time: TIME,
      },
    })),
  ),
  ...ajaxOnly('GET', 'gateway-proxy', {
    kind: 'global',
    token: false,
    build: () => ({ query: { gateway_path: 'api/2.0/endpoints/' } }),
  }),
  ...ajaxOnly('POST', 'gateway-proxy', {
    kind: 'global',
    token: false,
    build: () => ({ json: { gateway_path: 'api/2.0/endpoints/' } }),
  }),
  ...ajaxOnly(
    'GET',
    'logged-models/:model_id/artifacts/files',
    scoped((f, base) => ({
      path: loggedModelPath(f, base, '/artifacts/files'),
      query: { artifact_file_path: 'MLmodel' },
    })),
  ),

  ...proxy(
    'PUT',
    'artifacts/*',
    scoped((f, base) => ({ path: artifactFile(f, base), raw: 'matrix overwrite' })),
  ),
  ...proxy(
    'GET',
    'artifacts/*',
    scoped((f, base) => ({ path: artifactFile(f, base) })),
  ),
  ...proxy(
    'GET',
    'artifacts',
    scoped((f) => ({ query: { path: f.runPrefix } })),
  ),
  ...proxy(
    'DELETE',
    'artifacts/*',
    spend((f, base) => ({ path: artifactFile(f, base) })),
  ),
  ...mpu('create', { path: 'big.bin', num_parts: 2 }),
  ...mpu('complete', { path: 'big.bin', upload_id: 'u', parts: [{ part_number: 1, etag: 'e' }] }),
  ...mpu('abort', { path: 'big.bin', upload_id: 'u' }),

  ...mlflow('POST', 'registered-models/create', {
    kind: 'create',
    token: false,
    build: () => ({ json: { name: unique('matrix-model-') } }),
  }),
  ...mlflow(
    'GET',
    'registered-models/get',
    unscoped((f) => ({ query: modelOf(f) })),
  ),
  ...mlflow(
    'POST',
    'registered-models/rename',
    spend((f) => ({ json: { ...modelOf(f), new_name: `${f.label}-renamed-model` } })),
  ),
  ...mlflow(
    'PATCH',
    'registered-models/update',
    unscoped((f) => ({ json: { ...modelOf(f), description: 'matrix' } })),
  ),
  ...mlflow(
    'DELETE',
    'registered-models/delete',
    spend((f) => ({ json: modelOf(f) })),
  ),
  ...mlflow(
    'GET',
    'registered-models/search',
    search(false, () => ({ query: { max_results: '1000' } })),
  ),
  ...mlflow(
    'POST',
    'registered-models/get-latest-versions',
    unscoped((f) => ({ json: modelOf(f) })),
  ),
  ...mlflow(
    'GET',
    'registered-models/get-latest-versions',
    unscoped((f) => ({ query: modelOf(f) })),
  ),
  ...mlflow(
    'POST',
    'registered-models/set-tag',
    unscoped((f) => ({ json: { ...modelOf(f), key: unique('matrix-tag-'), value: 'v' } })),
  ),
  ...mlflow(
    'DELETE',
    'registered-models/delete-tag',
    spend((f) => ({ json: { ...modelOf(f), key: 'rt' } })),
  ),
  ...mlflow(
    'POST',
    'registered-models/alias',
    unscoped((f) => ({
      json: { ...modelOf(f), alias: unique('matrix-alias-'), version: '1' },
    })),
  ),
  ...mlflow(
    'DELETE',
    'registered-models/alias',
    spend((f) => ({ json: { ...modelOf(f), alias: 'champion' } })),
  ),
  ...mlflow(
    'GET',
    'registered-models/alias',
    unscoped((f) => ({ query: { ...modelOf(f), alias: 'champion' } })),
  ),

  ...mlflow(
    'POST',
    'model-versions/create',
    unscoped((f) => ({
      json: { ...modelOf(f), source: `runs:/${f.runId}/model`, run_id: f.runId },
    })),
  ),
  ...mlflow(
    'GET',
    'model-versions/get',
    unscoped((f) => ({ query: versionOf(f) })),
  ),
  ...mlflow(
    'PATCH',
    'model-versions/update',
    unscoped((f) => ({ json: { ...versionOf(f), description: 'matrix' } })),
  ),
  ...mlflow(
    'POST',
    'model-versions/transition-stage',
    unscoped((f) => ({
      json: { ...versionOf(f), stage: 'Staging', archive_existing_versions: false },
    })),
  ),
  ...mlflow(
    'DELETE',
    'model-versions/delete',
    spend((f) => ({ json: versionOf(f) })),
  ),
  ...mlflow(
    'GET',
    'model-versions/get-download-uri',
    unscoped((f) => ({ query: versionOf(f) })),
  ),
  ...mlflow(
    'GET',
    'model-versions/search',
    search(false, (f) => [
      { query: { filter: `name='${f.modelName}'` } },
      { query: { filter: `run_id='${f.runId}'` } },
    ]),
  ),
  ...mlflow(
    'POST',
    'model-versions/set-tag',
    unscoped((f) => ({ json: { ...versionOf(f), key: unique('matrix-tag-'), value: 'v' } })),
  ),
  ...mlflow(
    'DELETE',
    'model-versions/delete-tag',
    spend((f) => ({ json: { ...versionOf(f), key: 'vt' } })),
  ),
  ...root(
    'GET',
    'model-versions/get-artifact',
    unscoped((f) => ({ query: { ...versionOf(f), path: 'MLmodel' } })),
  ),

  ...flops(
    'GET',
    'projects',
    search(true, () => ({ query: { max_results: '1000' } })),
  ),
  ...flops('POST', 'projects', {
    kind: 'create',
    token: false,
    build: () => ({ json: { project_id: unique('matrix-project-') } }),
  }),
  ...flops(
    'GET',
    'projects/:experiment_id',
    scoped((f, base) => ({ path: projectPath(f, base) })),
  ),
  ...flops(
    'GET',
    'projects/:experiment_id/rounds',
    scoped((f, base) => ({ path: projectPath(f, base, '/rounds') })),
  ),
  ...flops(
    'POST',
    'projects/:experiment_id/rounds',
    scoped((f, base) => ({ path: projectPath(f, base, '/rounds'), json: { round: ++nextRound } })),
  ),
  ...flops(
    'GET',
    'projects/:experiment_id/rounds/:round',
    scoped((f, base) => ({ path: projectPath(f, base, '/rounds/1') })),
  ),
  ...flops(
    'POST',
    'projects/:experiment_id/rounds/:round/finish',
    scoped((f, base) => ({
      path: projectPath(f, base, '/rounds/1/finish'),
      json: { status: 'FINISHED' },
    })),
  ),
  ...flops(
    'GET',
    'projects/:experiment_id/series',
    scoped((f, base) => ({ path: projectPath(f, base, '/series'), query: { metrics: 'm' } })),
  ),
  ...flops(
    'GET',
    'projects/:experiment_id/best-round',
    scoped((f, base) => ({ path: projectPath(f, base, '/best-round') })),
  ),
  ...flops(
    'GET',
    'projects/:experiment_id/export',
    scoped((f, base) => ({ path: projectPath(f, base, '/export'), query: { format: 'json' } })),
  ),
  ...flops(
    'GET',
    'series',
    scoped((f) => ({ query: { projects: f.experimentId, metrics: 'm' } })),
  ),

  // Promotion (model-registry): the fixture's round 1 carries the trained model.
  ...flops(
    'POST',
    'projects/:experiment_id/register-model',
    unscoped((f, base) => ({
      path: projectPath(f, base, '/register-model'),
      json: { alias: 'promoted' },
    })),
  ),
  ...flops(
    'GET',
    'projects/:experiment_id/lineage',
    unscoped((f, base) => ({ path: projectPath(f, base, '/lineage') })),
  ),

  ...root('GET', 'version', { kind: 'global', token: false, build: () => ({}) }),
];

/** Served without a credential. */
const PUBLIC_ROUTES = [/^\/health(\/ready)?$/, /^\/metrics$/, /^\/docs($|\/|-json$|-yaml$)/];
/** The auth API (users, grants, tokens, audit): covered by its own specs, as it grows. */
const AUTH_API_ROUTES = /^\/(ajax-)?api\/2\.0\/mlflow\/(.+\/)?(users|permissions|tokens|audit)\//;

function isExcluded(url: string): boolean {
  return PUBLIC_ROUTES.some((p) => p.test(url)) || isWebUiRoute(url) || AUTH_API_ROUTES.test(url);
}

const isHead = (r: MatrixRequest) => r.method === 'HEAD';
/** An answer as a failure message quotes it. */
const shown = (a: Answer) =>
  `${a.status} ${a.text.length > 300 ? `${a.text.slice(0, 300)}…` : a.text}`;
const errorCode = (a: Answer) => a.body.error_code;

/** A check of one answer: null when it is as expected, else why not. */
type Verdict = (a: Answer, r: MatrixRequest) => string | null;

const unauthenticated: Verdict = (a, r) => {
  // One challenge per scheme: Basic, and Bearer for tokens.
  const challenge = [a.headers['www-authenticate'] ?? []].flat().join(', ');
  if (a.status !== 401 || !challenge.includes('Basic realm="mlflow"')) {
    return `expected 401 with a Basic challenge, got ${a.status} "${challenge}"`;
  }
  return isHead(r) || errorCode(a) === 'UNAUTHENTICATED' ? null : `body ${shown(a)}`;
};

const notFound: Verdict = (a, r) =>
  a.status === 404 && (isHead(r) || errorCode(a) === 'RESOURCE_DOES_NOT_EXIST')
    ? null
    : `expected 404 RESOURCE_DOES_NOT_EXIST, got ${shown(a)}`;

const denied: Verdict = (a, r) =>
  a.status === 403 && (isHead(r) || errorCode(a) === 'PERMISSION_DENIED')
    ? null
    : `expected 403 PERMISSION_DENIED, got ${shown(a)}`;

const refused: Verdict = (a, r) =>
  notFound(a, r) === null || denied(a, r) === null ? null : `expected 404 or 403, got ${shown(a)}`;

/** `refused` for an answer with a body (not to a HEAD). */
const refusalOf = (a: Answer) => refused(a, { method: 'GET', url: '' });

/** Refused, or answered without anything of `owner`'s. */
const hides =
  (owner: TenantFixtures): Verdict =>
  (a, r) => {
    if (refused(a, r) === null) return null;
    if (a.status !== 200) return `expected 200 or a refusal, got ${shown(a)}`;
    return a.text.includes(owner.label) ? `leaks ${owner.label}: ${shown(a)}` : null;
  };

/** Answered as for the owner (the route's own status), a search listing the target's items. */
const allowed =
  (c: RouteCase, target: TenantFixtures): Verdict =>
  (a, r) => {
    const expected = c.ownStatus ?? 200;
    if (a.status !== expected) return `expected ${expected}, got ${shown(a)}`;
    if (c.kind === 'search' && !isHead(r) && !a.text.includes(target.label)) {
      return `does not list ${target.label}: ${shown(a)}`;
    }
    return null;
  };

/** Who is asking (no authorization: nobody signed in). */
interface Actor {
  name: string;
  authorization?: string;
}

interface Tally {
  cases: number;
  requests: number;
  failures: string[];
}

/** The state of a tenant as its owner reads it: what no other tenant's request may change. */
async function snapshot(d: Deployment, f: TenantFixtures): Promise<unknown> {
  const get = async (url: string, json?: unknown) => {
    const answer = await send(
      d,
      { method: json ? 'POST' : 'GET', url, json },
      f.owner.authorization,
    );
    return [answer.status, answer.text];
  };
  return {
    run: await get(withQuery(`${API}/runs/get`, runOf(f))),
    experiment: await get(withQuery(`${API}/experiments/get`, { experiment_id: f.experimentId })),
    artifact: await get(`${PROXY}/${f.runPrefix}/f.txt`),
    listing: await get(withQuery(PROXY, { path: f.runPrefix })),
    loggedModel: await get(`${API}/logged-models/${f.loggedModelId}`),
    trace: await get(`${API}/traces/${f.traceId}/info`),
    traceData: await get(withQuery(`${AJAX}/get-trace-artifact`, { request_id: f.traceId })),
    model: await get(withQuery(`${API}/registered-models/get`, modelOf(f))),
    versions: await get(
      withQuery(`${API}/model-versions/search`, { filter: `name='${f.modelName}'` }),
    ),
    alias: await get(
      withQuery(`${API}/registered-models/alias`, { ...modelOf(f), alias: 'champion' }),
    ),
    datasets: await get(`${AJAX}/experiments/search-datasets`, {
      experiment_ids: [f.experimentId],
    }),
  };
}

async function startSuite(backend: Backend): Promise<Deployment> {
  const t = await createTestApp(backend, { env: AUTH_ENV });
  return suiteDeployment(`suite on ${backend}`, t);
}

/** Tracking, registry and artifact proxy as three apps over one MariaDB database. */
async function startSplit(kind: DestinationKind): Promise<Deployment> {
  const scratch = join(tmpdir(), 'flops-e2e-destinations');
  mkdirSync(scratch, { recursive: true });
  const destination = await createDestination(kind, scratch);
  const database = await createScratchDatabase('flops_e2e');
  await migrate(database.uri);
  const start = (service: MlflowService) =>
    createTestApp('mysql', {
      service,
      backendStoreUri: database.uri,
      env: { ...AUTH_ENV, ARTIFACTS_DESTINATION: destination.uri },
    });
  return splitDeployment(
    `tracking + registry + proxy on mysql, ${kind} artifacts`,
    {
      tracking: await start(TRACKING_SERVICE),
      'model-registry': await start(MODEL_REGISTRY_SERVICE),
      'artifact-proxy': await start(ARTIFACT_PROXY_SERVICE),
    },
    async () => {
      await destination.dispose();
      await database.drop();
    },
  );
}

function describeMatrix(start: () => Promise<Deployment>): void {
  let d: Deployment;
  let alice: Account;
  let bob: Account;
  let aliceData: TenantFixtures;
  let bobData: TenantFixtures;
  let aliceToken: string;
  const tally: Tally = { cases: 0, requests: 0, failures: [] };
  const admin: Actor = { name: 'admin', authorization: ADMIN_AUTHORIZATION };

  beforeAll(async () => {
    d = await start();
    const identityApp = d.apps[0].t.app;
    alice = await createAccount(identityApp, 'alice');
    bob = await createAccount(identityApp, 'bob');
    aliceData = await createTenantFixtures(d, alice);
    bobData = await createTenantFixtures(d, bob);
    aliceToken = await createScopedToken(identityApp, alice, aliceData.experimentId);
  });

  afterAll(async () => {
    await d?.close();
  });

  /**
   * One case: the route's request(s) by `actor` against `target` (a throwaway copy of it for a
   * destructive route when `spends`), each answer judged by `verdict`; failures are collected.
   */
  async function runCase(
    c: RouteCase,
    actor: Actor,
    target: TenantFixtures,
    verdict: Verdict,
    spends = false,
  ): Promise<string[]> {
    const subject = spends && c.destructive ? await createTenantFixtures(d, target.owner) : target;
    if (subject !== target) await c.prepare?.(d, subject);
    tally.cases++;
    const failures: string[] = [];
    for (const request of c.requests(subject)) {
      tally.requests++;
      const answer = await send(d, request, actor.authorization);
      const problem = verdict(answer, request);
      if (problem) {
        failures.push(`${c.key} as ${actor.name} on ${target.owner.username}: ${problem}`);
      }
    }
    tally.failures.push(...failures);
    return failures;
  }

  async function runAll(
    cases: RouteCase[],
    actor: Actor,
    target: TenantFixtures,
    verdict: (c: RouteCase) => Verdict,
    spends = false,
  ): Promise<string[]> {
    const failures: string[] = [];
    for (const c of cases) {
      failures.push(...(await runCase(c, actor, target, verdict(c), spends)));
    }
    return failures;
  }

  /** Non-destructive routes first, so the deletes and renames come last. */
  const ordered = [...MATRIX.filter((c) => !c.destructive), ...MATRIX.filter((c) => c.destructive)];

  it('covers every served route but the public ones and the auth API', () => {
    const served = deploymentRoutes(d);
    const keys = new Set(MATRIX.map((c) => c.key));
    const uncovered = served
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !keys.has(key) && !isExcluded(key.split(' ')[1]));
    expect(uncovered).toEqual([]);
    // Each route of the table is served, and by the service its prefix belongs to.
    const servedBy = (key: string) =>
      served.filter((r) => `${r.method} ${r.url}` === key).map((r) => r.service);
    const unserved = MATRIX.filter((c) => {
      const services = servedBy(c.key);
      return !services.includes('suite') && !services.includes(serviceOf(c.key.split(' ')[1]));
    }).map((c) => c.key);
    expect(unserved).toEqual([]);
  });

  it('1. answers every route without credentials with 401 and a Basic challenge', async () => {
    const failures = await runAll(MATRIX, { name: 'nobody' }, aliceData, () => unauthenticated);
    expect(failures).toEqual([]);
  });

  it("2-3. refuses bob every one of alice's resources, hides them from his searches and changes nothing of hers", async () => {
    const before = await snapshot(d, aliceData);
    const failures = await runAll(
      MATRIX,
      { name: 'bob', authorization: bob.authorization },
      aliceData,
      (c) => (c.kind === 'resource' ? refused : hides(aliceData)),
    );
    expect(failures).toEqual([]);
    expect(await snapshot(d, aliceData)).toEqual(before);
  });

  it('4. serves alice every route on her own resources', async () => {
    const failures = await runAll(
      ordered,
      { name: 'alice', authorization: alice.authorization },
      aliceData,
      (c) => allowed(c, aliceData),
      true,
    );
    expect(failures).toEqual([]);
  });

  it("5. lets alice's scoped token use the aggregator routes in her project only", async () => {
    const token: Actor = { name: "alice's token", authorization: aliceToken };
    const inOwn = await runAll(
      ordered.filter((c) => !c.destructive),
      token,
      aliceData,
      (c) => (c.token ? allowed(c, aliceData) : denied),
    );
    const inBobs = await runAll(MATRIX, token, bobData, (c) =>
      !c.token ? denied : c.kind === 'resource' ? notFound : hides(bobData),
    );
    const destructiveInOwn = await runAll(
      MATRIX.filter((c) => c.destructive),
      token,
      aliceData,
      () => denied,
    );
    expect([...inOwn, ...inBobs, ...destructiveInOwn]).toEqual([]);
  });

  it("6. lets the admin reach both tenants' resources", async () => {
    const failures: string[] = [];
    for (const target of [aliceData, bobData]) {
      failures.push(...(await runAll(ordered, admin, target, (c) => allowed(c, target), true)));
    }
    expect(failures).toEqual([]);
  });

  it("refuses bob model versions whose source is alice's run, and her files through get-artifact (§10.7)", async () => {
    const post = (url: string, json: unknown) =>
      send(d, { method: 'POST', url: `${API}/${url}`, json }, bob.authorization);
    const deputy = `${bobData.label}-deputy`;
    expect((await post('registered-models/create', { name: deputy })).status).toBe(200);
    const sources = [
      { source: `runs:/${aliceData.runId}/model` },
      { source: `runs:/${aliceData.runId}/model`, run_id: aliceData.runId },
      { source: `${bobData.artifactUri}/model`, run_id: aliceData.runId },
      { source: `mlflow-artifacts:/${aliceData.runPrefix}/model` },
      { source: `${aliceData.artifactUri}/model` },
      { source: `models:/${aliceData.loggedModelId}` },
      { source: `${bobData.artifactUri}/model`, model_id: aliceData.loggedModelId },
      { source: `models:/${aliceData.modelName}/1` },
      { source: `models:/${aliceData.modelName}@champion` },
    ];
    for (const source of sources) {
      const answer = await post('model-versions/create', { name: deputy, ...source });
      expect([source, refusalOf(answer)]).toEqual([source, null]);
    }
    // Nor through a logged model of his own that names her run as its source.
    const loggedModel = await post('logged-models', {
      experiment_id: bobData.experimentId,
      source_run_id: aliceData.runId,
    });
    expect(refusalOf(loggedModel)).toBeNull();

    const versions = await send(
      d,
      {
        method: 'GET',
        url: withQuery(`${API}/model-versions/search`, { filter: `name='${deputy}'` }),
      },
      bob.authorization,
    );
    expect([versions.status, versions.body.model_versions]).toEqual([200, undefined]);
    const download = await send(
      d,
      {
        method: 'GET',
        url: withQuery('/model-versions/get-artifact', {
          ...versionOf(aliceData),
          path: 'MLmodel',
        }),
      },
      bob.authorization,
    );
    expect(refusalOf(download)).toBeNull();
    expect(download.text).not.toContain('flavors');
  });

  it("refuses bob's log-inputs into alice's run and keeps her datasets as they were (§10.5)", async () => {
    const datasets = () =>
      send(
        d,
        {
          method: 'POST',
          url: `${AJAX}/experiments/search-datasets`,
          json: { experiment_ids: [aliceData.experimentId] },
        },
        alice.authorization,
      );
    const before = await datasets();
    const answer = await send(
      d,
      {
        method: 'POST',
        url: `${API}/runs/log-inputs`,
        json: {
          run_id: aliceData.runId,
          datasets: [
            {
              dataset: {
                name: `${bobData.label}-planted`,
                digest: 'x',
                source_type: 'local',
                source: '{}',
              },
            },
          ],
        },
      },
      bob.authorization,
    );
    expect(refusalOf(answer)).toBeNull();
    const after = await datasets();
    expect(after.text).toBe(before.text);
    expect(after.text).toContain(aliceData.datasetName);
    expect(after.text).not.toContain(bobData.label);
  });

  it("refuses bob linking alice's logged model to his own run (log-inputs, outputs)", async () => {
    for (const [route, models] of [
      ['runs/log-inputs', [{ model_id: aliceData.loggedModelId }]],
      ['runs/outputs', [{ model_id: aliceData.loggedModelId, step: 0 }]],
    ] as const) {
      const answer = await send(
        d,
        { method: 'POST', url: `${API}/${route}`, json: { run_id: bobData.runId, models } },
        bob.authorization,
      );
      expect([route, refusalOf(answer)]).toEqual([route, null]);
      expect([route, answer.status]).toEqual([route, 404]);
    }
    const run = await send(
      d,
      { method: 'GET', url: withQuery(`${API}/runs/get`, { run_id: bobData.runId }) },
      bob.authorization,
    );
    expect(run.text).not.toContain(aliceData.loggedModelId);
  });

  it("refuses bob alice's files through the /ajax-api artifact mirror (§10.4)", async () => {
    const mirror = '/ajax-api/2.0/mlflow-artifacts/artifacts';
    const read = () =>
      Promise.all([
        send(
          d,
          { method: 'GET', url: `${PROXY}/${aliceData.runPrefix}/f.txt` },
          alice.authorization,
        ),
        send(
          d,
          { method: 'GET', url: withQuery(PROXY, { path: aliceData.runPrefix }) },
          alice.authorization,
        ),
      ]).then((answers) => answers.map((a) => [a.status, a.text]));
    const before = await read();
    const attempts: MatrixRequest[] = [
      { method: 'GET', url: withQuery(mirror, { path: aliceData.runPrefix }) },
      { method: 'GET', url: `${mirror}/${aliceData.runPrefix}/f.txt` },
      { method: 'PUT', url: `${mirror}/${aliceData.runPrefix}/f.txt`, raw: 'planted by bob' },
      { method: 'PUT', url: `${mirror}/${aliceData.runPrefix}/planted.txt`, raw: 'planted by bob' },
      { method: 'DELETE', url: `${mirror}/${aliceData.runPrefix}/f.txt` },
    ];
    for (const attempt of attempts) {
      const answer = await send(d, attempt, bob.authorization);
      expect([attempt.method, attempt.url, refused(answer, attempt)]).toEqual([
        attempt.method,
        attempt.url,
        null,
      ]);
    }
    expect(await read()).toEqual(before);
  });

  it('refuses a non-empty X-MLFLOW-WORKSPACE header with 400 FEATURE_DISABLED', async () => {
    const answer = await send(
      d,
      {
        method: 'GET',
        url: withQuery(`${API}/experiments/get`, { experiment_id: aliceData.experimentId }),
      },
      alice.authorization,
      { 'x-mlflow-workspace': 'team-a' },
    );
    expect([answer.status, errorCode(answer)]).toEqual([400, 'FEATURE_DISABLED']);
  });

  it('passed every case of the matrix', () => {
    const routes = MATRIX.length;
    console.log(
      `tenancy matrix, ${d.name}: ${routes} routes × 7 cases (no credentials, bob on alice, token on alice, token on bob, alice on alice, admin on alice, admin on bob) = ${tally.cases} cases, ${tally.requests} requests, ${tally.failures.length} failed`,
    );
    expect(tally.cases).toBe(routes * 7);
    expect(tally.failures).toEqual([]);
  });
}

describe.each(BACKENDS)('tenancy matrix: the suite on %s', (backend) => {
  describeMatrix(() => startSuite(backend));
});

describe.each<DestinationKind>(['ftp', 'sftp'])(
  'tenancy matrix: tracking, registry and proxy as separate services on MariaDB, %s artifacts',
  (kind) => {
    describeMatrix(() => startSplit(kind));
  },
);
