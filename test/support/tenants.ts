import { randomBytes } from 'node:crypto';

import { INestApplication } from '@nestjs/common';

import { IdentityStore } from '@app/domain';
import {
  hashPassword,
  newTokenSecret,
  ServedRoute,
  servedRoutes,
  tokenSecretHash,
} from '@app/http';

import { TestApp } from './test-app';

/** The first administrator every tenancy app boots with (AUTH_MODE=basic). */
export const ADMIN = { username: 'admin', password: 'a-Strong-passw0rd-for-tests' } as const;

export const AUTH_ENV: Record<string, string> = {
  AUTH_MODE: 'basic',
  AUTH_ADMIN_USERNAME: ADMIN.username,
  AUTH_ADMIN_PASSWORD: ADMIN.password,
};

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export function bearerAuth(secret: string): string {
  return `Bearer ${secret}`;
}

/** A signed-in user and the Authorization header it sends. */
export interface Account {
  username: string;
  userId: number;
  authorization: string;
}

export const ADMIN_AUTHORIZATION = basicAuth(ADMIN.username, ADMIN.password);

/**
 * A user written straight into the identity store (not through a REST user API), with a strong
 * random password that only its Authorization header carries.
 */
export async function createAccount(app: INestApplication, username: string): Promise<Account> {
  const password = `Pw-${randomBytes(12).toString('base64url')}-9x`;
  const user = await app.get(IdentityStore).createUser({
    username,
    passwordHash: await hashPassword(password),
    isAdmin: false,
  });
  return { username, userId: user.id, authorization: basicAuth(username, password) };
}

/** A scoped (aggregator) API token of `account` for one experiment: its Bearer header. */
export async function createScopedToken(
  app: INestApplication,
  account: Account,
  experimentId: string,
): Promise<string> {
  const secret = newTokenSecret();
  await app.get(IdentityStore).createToken({
    userId: account.userId,
    name: `${account.username}-aggregator-${randomBytes(3).toString('hex')}`,
    secretHash: tokenSecretHash(secret),
    experimentId,
    expirationTime: null,
  });
  return bearerAuth(secret);
}

export type ServiceName = 'suite' | 'tracking' | 'model-registry' | 'artifact-proxy';

/** Which split service serves a URL: the proxy its tree, the registry its two, tracking the rest. */
export function serviceOf(url: string): Exclude<ServiceName, 'suite'> {
  if (/^\/(ajax-)?api\/2\.0\/mlflow-artifacts\//.test(url)) return 'artifact-proxy';
  if (/(^|\/)(registered-models|model-versions)\//.test(url)) return 'model-registry';
  return 'tracking';
}

/** One suite app, or the three services over one database, as the matrix reaches them. */
export interface Deployment {
  name: string;
  apps: { service: ServiceName; t: TestApp }[];
  /** The app that serves a URL in this deployment. */
  appFor(url: string): TestApp;
  close(): Promise<void>;
}

export function suiteDeployment(name: string, t: TestApp): Deployment {
  return { name, apps: [{ service: 'suite', t }], appFor: () => t, close: () => t.close() };
}

export function splitDeployment(
  name: string,
  apps: Record<Exclude<ServiceName, 'suite'>, TestApp>,
  dispose: () => Promise<void>,
): Deployment {
  const entries = Object.entries(apps) as [Exclude<ServiceName, 'suite'>, TestApp][];
  return {
    name,
    apps: entries.map(([service, t]) => ({ service, t })),
    appFor: (url) => apps[serviceOf(url.split('?')[0])],
    close: async () => {
      for (const [, t] of entries) await t.close();
      await dispose();
    },
  };
}

/** Every route some app of the deployment serves, with the service that serves it. */
export function deploymentRoutes(d: Deployment): (ServedRoute & { service: ServiceName })[] {
  return d.apps.flatMap(({ service, t }) =>
    servedRoutes(t.app).map((route) => ({ ...route, service })),
  );
}

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One concrete request: a JSON body, or raw bytes (artifact uploads). */
export interface MatrixRequest {
  method: Method;
  url: string;
  json?: unknown;
  raw?: string | Buffer;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  body: Record<string, unknown>;
}

/** `path?a=1&b=x&b=y`, values percent-encoded. */
export function withQuery(path: string, query: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  return `${path}?${search.toString()}`;
}

export async function send(
  d: Deployment,
  request: MatrixRequest,
  authorization?: string,
  extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (authorization !== undefined) headers.authorization = authorization;
  let payload: string | Buffer | undefined;
  if (request.raw !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    payload = request.raw;
  } else if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(request.json);
  }
  const app = d.appFor(request.url).app;
  const response = await app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: request.method,
      url: request.url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.body);
    if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a file, an empty body)
  }
  return { status: response.statusCode, headers: response.headers, text: response.body, body };
}

/** What one tenant owns; every name carries `label`, which must never reach another tenant. */
export interface TenantFixtures {
  owner: Account;
  label: string;
  experimentId: string;
  experimentName: string;
  runId: string;
  artifactUri: string;
  /** `<experiment>/<run>/artifacts`, the run's directory in the proxy's path space. */
  runPrefix: string;
  /** The bytes of `<runPrefix>/f.txt`. */
  artifactText: string;
  loggedModelId: string;
  /** An MLflow 2.x trace (tag `tt`, recorded in the run) with its `traces.json` uploaded. */
  traceId: string;
  modelName: string;
  datasetName: string;
}

const API = '/api/2.0/mlflow';
export const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

async function ok(d: Deployment, request: MatrixRequest, authorization: string): Promise<Answer> {
  const answer = await send(d, request, authorization);
  if (answer.status !== 200) {
    throw new Error(`${request.method} ${request.url}: ${answer.status} ${answer.text}`);
  }
  return answer;
}

/**
 * Through the HTTP API as `owner`: an experiment (tag `et`; a FLOps project with its run as
 * round 1) with a run (metric `m`, param `p`, tag `t`, a dataset input), the run's `f.txt` and `model/MLmodel` uploaded through the proxy, a
 * logged model (tag `lt`) with an `MLmodel`, a trace (tag `tt`) with its data, and a registered model (tag `rt`) whose version 1
 * (tag `vt`) comes from the run, with alias `champion`.
 */
export async function createTenantFixtures(
  d: Deployment,
  owner: Account,
  label = `${owner.username}-${randomBytes(4).toString('hex')}`,
): Promise<TenantFixtures> {
  const auth = owner.authorization;
  const post = (path: string, json: unknown) =>
    ok(d, { method: 'POST', url: `${API}/${path}`, json }, auth);
  const put = (path: string, raw: string) =>
    ok(d, { method: 'PUT', url: `${PROXY}/${path}`, raw }, auth);

  const experimentName = `${label}-experiment`;
  const experimentId = (
    await post('experiments/create', {
      name: experimentName,
      // Also a FLOps project (tag `flops.project_id`) whose run is its round 1.
      tags: [
        { key: 'et', value: label },
        { key: 'flops.project_id', value: label },
      ],
    })
  ).body.experiment_id as string;
  const run = (
    await post('runs/create', {
      experiment_id: experimentId,
      run_name: `${label}-run`,
      start_time: 1_700_000_000_000,
      tags: [{ key: 'flops.round', value: '1' }],
    })
  ).body.run as { info: { run_id: string; artifact_uri: string } };
  const runId = run.info.run_id;
  await post('runs/log-batch', {
    run_id: runId,
    metrics: [{ key: 'm', value: 0.5, timestamp: 1_700_000_000_000, step: 0 }],
    params: [{ key: 'p', value: `${label}-param` }],
    tags: [{ key: 't', value: `${label}-tag` }],
  });
  const datasetName = `${label}-dataset`;
  await post('runs/log-inputs', {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: { name: datasetName, digest: 'd1', source_type: 'local', source: '{}' },
      },
    ],
  });
  const runPrefix = `${experimentId}/${runId}/artifacts`;
  const artifactText = `${label} artifact bytes`;
  await put(`${runPrefix}/f.txt`, artifactText);
  await put(`${runPrefix}/model/MLmodel`, `flavors: {} # ${label}\n`);

  const loggedModelId = (
    (
      await post('logged-models', {
        experiment_id: experimentId,
        name: `${label}-logged-model`,
        source_run_id: runId,
        tags: [{ key: 'lt', value: label }],
      })
    ).body.model as { info: { model_id: string } }
  ).info.model_id;
  await put(`${experimentId}/models/${loggedModelId}/artifacts/MLmodel`, `flavors: {}\n`);

  const traceId = (
    (
      await post('traces', {
        experiment_id: experimentId,
        timestamp_ms: 1_700_000_000_000,
        request_metadata: [{ key: 'mlflow.sourceRun', value: runId }],
        tags: [{ key: 'tt', value: label }],
      })
    ).body.trace_info as { request_id: string }
  ).request_id;
  await put(`${experimentId}/traces/${traceId}/artifacts/traces.json`, `{"spans": []}`);

  const modelName = `${label}-model`;
  await post('registered-models/create', {
    name: modelName,
    tags: [{ key: 'rt', value: label }],
  });
  await post('model-versions/create', {
    name: modelName,
    source: `runs:/${runId}/model`,
    run_id: runId,
    tags: [{ key: 'vt', value: label }],
  });
  await post('registered-models/alias', { name: modelName, alias: 'champion', version: '1' });

  return {
    owner,
    label,
    experimentId,
    experimentName,
    runId,
    artifactUri: run.info.artifact_uri,
    runPrefix,
    artifactText,
    loggedModelId,
    traceId,
    modelName,
    datasetName,
  };
}
