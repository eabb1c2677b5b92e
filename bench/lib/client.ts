import { Pool } from 'undici';

export const API = '/api/2.0/mlflow';

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path.slice(0, 120)} -> ${status} ${body.slice(0, 300)}`);
  }

  /** The route or RPC is not there yet (404 ENDPOINT_NOT_FOUND or 501 NOT_IMPLEMENTED). */
  get notImplemented(): boolean {
    return (
      (this.status === 404 && this.body.includes('ENDPOINT_NOT_FOUND')) ||
      this.status === 501 ||
      this.body.includes('NOT_IMPLEMENTED')
    );
  }
}

/** Sent with every request of every client once set (`--auth`): `Basic …`. */
let authorization: string | undefined;

export function authenticateEveryRequest(header: string): void {
  authorization = header;
}

export function authHeaders(): Record<string, string> {
  return authorization ? { authorization } : {};
}

/**
 * A keep-alive HTTP/1.1 client with `connections` sockets (one per concurrent worker), sending
 * JSON text the caller serialised beforehand, so the driver spends as little CPU as possible
 * while timing: the server shares the machine's cores with it.
 */
export class Client {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
    });
  }

  async postText(path: string, json: string): Promise<string> {
    const res = await this.pool.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: json,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new HttpError('POST', path, res.statusCode, text);
    return text;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return JSON.parse(await this.postText(path, JSON.stringify(body))) as T;
  }

  async getText(path: string): Promise<string> {
    const res = await this.pool.request({ method: 'GET', path, headers: authHeaders() });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new HttpError('GET', path, res.statusCode, text);
    return text;
  }

  async get<T>(path: string): Promise<T> {
    return JSON.parse(await this.getText(path)) as T;
  }

  /** Any request, answered with its status and text whatever the status (no HttpError). */
  async request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: { json?: string; raw?: Buffer },
  ): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { ...authHeaders() };
    if (body?.json !== undefined) headers['content-type'] = 'application/json';
    if (body?.raw !== undefined) headers['content-type'] = 'application/octet-stream';
    const res = await this.pool.request({
      method,
      path,
      headers,
      body: body?.json ?? body?.raw,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface RunInfoJson {
  run_id: string;
  experiment_id: string;
  artifact_uri?: string;
}
export interface MetricJson {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}
export interface RunJson {
  info: RunInfoJson;
  data: {
    metrics?: MetricJson[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
}

/** POST experiments/create {name} as the Python client sends it; returns the experiment id. */
export async function createExperiment(client: Client, name: string): Promise<string> {
  const res = await client.post<{ experiment_id: string }>(`${API}/experiments/create`, { name });
  return res.experiment_id;
}

/** The runs/create body of `mlflow.start_run()` (Python client 2.17: user, source tags). */
export function createRunBody(
  experimentId: string,
  runName?: string,
  startTime = Date.now(),
): string {
  return JSON.stringify({
    experiment_id: experimentId,
    user_id: 'bench',
    ...(runName === undefined ? {} : { run_name: runName }),
    start_time: startTime,
    tags: [
      { key: 'mlflow.user', value: 'bench' },
      { key: 'mlflow.source.name', value: 'bench/run.ts' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
    ],
  });
}

export async function createRun(
  client: Client,
  experimentId: string,
  runName?: string,
): Promise<string> {
  const text = await client.postText(`${API}/runs/create`, createRunBody(experimentId, runName));
  return (JSON.parse(text) as { run: RunJson }).run.info.run_id;
}

export async function getRun(client: Client, runId: string): Promise<RunJson> {
  const q = `run_id=${runId}&run_uuid=${runId}`;
  return (await client.get<{ run: RunJson }>(`${API}/runs/get?${q}`)).run;
}

/**
 * `client.get_metric_history`: GET with max_results=25000, following next_page_token.
 * Returns the points and the number of pages.
 */
export async function getMetricHistory(
  client: Client,
  runId: string,
  key: string,
  maxPages = 1000,
): Promise<{ metrics: MetricJson[]; pages: number }> {
  const metrics: MetricJson[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const q =
      `run_uuid=${runId}&metric_key=${encodeURIComponent(key)}&run_id=${runId}&max_results=25000` +
      (token ? `&page_token=${encodeURIComponent(token)}` : '');
    const page = await client.get<{ metrics?: MetricJson[]; next_page_token?: string }>(
      `${API}/metrics/get-history?${q}`,
    );
    if (page.metrics) for (const m of page.metrics) metrics.push(m);
    token = page.next_page_token || undefined;
    pages++;
  } while (token && pages < maxPages);
  if (token) throw new Error(`get-history of ${key} still had pages after ${maxPages}`);
  return { metrics, pages };
}
