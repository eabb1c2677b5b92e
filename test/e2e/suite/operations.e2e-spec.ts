import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

const API = '/api/2.0/mlflow';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const FTP_PASSWORD = 'Sup3rSecretFtp';
const CLOSED_FTP = `ftp://flops:${FTP_PASSWORD}@127.0.0.1:1/x`;
const GOOD_FTP = 'ftp://flopsftp:flopsftp@127.0.0.1:2121/artifacts';
const METRICS_TOKEN = 'metrics-token-0123456789';

/** Everything the app printed while `work` ran. */
async function captured<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const written: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    }),
  );
  try {
    const result = await work();
    return { result, output: written.join('') };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

/** The value of one sample line of a Prometheus text answer, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const FAMILIES = [
  'flops_http_request_duration_seconds histogram',
  'flops_http_requests_in_flight gauge',
  'flops_db_pool_connections gauge',
  'flops_db_pool_max_connections gauge',
  'flops_db_pool_acquire_seconds histogram',
  'flops_db_transaction_retries_total counter',
  'flops_artifact_bytes_total counter',
  'flops_artifact_errors_total counter',
  'flops_artifact_pool_connections gauge',
  'flops_artifact_pool_max_connections gauge',
  'flops_learner_privacy_refusals_total counter',
  'process_cpu_seconds_total counter',
  'nodejs_eventloop_lag_seconds gauge',
];

describe.each(BACKENDS)('readiness and metrics on %s', (backend) => {
  describe('a healthy suite', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(backend, { env: { READINESS_CACHE_SECONDS: '0' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('keeps /health the plain liveness OK', async () => {
      const res = await t.http.get('/health');
      expect([res.status, res.text]).toEqual([200, 'OK']);
    });

    it('answers /health/ready 200 naming each check', async () => {
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: {
          backend_store: { status: 'up' },
          artifact_store: { status: 'up', store: `file:${join(t.workDir, 'artifacts')}` },
        },
        error: {},
      });
    });

    it('fails readiness while the artifact root is gone and recovers by itself', async () => {
      const root = join(t.workDir, 'artifacts');
      rmSync(root, { recursive: true, force: true });
      const down = await t.http.get('/health/ready');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        status: 'error',
        info: { backend_store: { status: 'up' } },
        error: { artifact_store: { status: 'down', message: expect.stringMatching(/missing/) } },
      });
      mkdirSync(root, { recursive: true });
      const up = await t.http.get('/health/ready');
      expect([up.status, up.body.status]).toEqual([200, 'ok']);
    });

    it('serves every metric family in Prometheus text format', async () => {
      await t.http.get('/health');
      const res = await t.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const family of FAMILIES) expect(res.text).toContain(`# TYPE ${family}\n`);
    });

    it('counts requests under their route template and status, not their URL', async () => {
      const created = await t.http
        .post(`${API}/experiments/create`)
        .send({ name: `ops-${backend}` });
      const id = created.body.experiment_id as string;
      const series = (status: number) =>
        `flops_http_request_duration_seconds_count{method="GET",route="/api/2.0/mlflow/experiments/get",status="${status}"}`;
      const before = await t.http.get('/metrics');
      const ok0 = sample(before.text, series(200)) ?? 0;
      const missing0 = sample(before.text, series(404)) ?? 0;
      expect((await t.http.get(`${API}/experiments/get?experiment_id=${id}`)).status).toBe(200);
      expect((await t.http.get(`${API}/experiments/get?experiment_id=987654`)).status).toBe(404);
      const after = await t.http.get('/metrics');
      expect(sample(after.text, series(200))).toBe(ok0 + 1);
      expect(sample(after.text, series(404))).toBe(missing0 + 1);
      expect(after.text).not.toContain('987654');
      expect(sample(after.text, 'flops_db_pool_max_connections')).toBe(
        backend === 'sqlite' ? 1 : 10,
      );
    });

    it('counts a learner-privacy refusal', async () => {
      const run = await t.http
        .post(`${API}/runs/create`)
        .send({ experiment_id: '0', start_time: 1 });
      const runId = run.body.run.info.run_id as string;
      const series = 'flops_learner_privacy_refusals_total{kind="metric"}';
      const before = sample((await t.http.get('/metrics')).text, series) ?? 0;
      const refused = await t.http
        .post(`${API}/runs/log-metric`)
        .send({ run_id: runId, key: 'client.1/loss', value: 0.5, timestamp: 1 });
      expect([refused.status, refused.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(sample((await t.http.get('/metrics')).text, series)).toBe(before + 1);
    });

    it('counts artifact bytes in and out by store kind', async () => {
      const run = await t.http
        .post(`${API}/runs/create`)
        .send({ experiment_id: '0', start_time: 1 });
      const path = `0/${run.body.run.info.run_id as string}/artifacts/model.bin`;
      const body = Buffer.alloc(3000, 7);
      const read = async () => {
        const text = (await t.http.get('/metrics')).text;
        return [
          sample(text, 'flops_artifact_bytes_total{store="file",direction="in"}') ?? 0,
          sample(text, 'flops_artifact_bytes_total{store="file",direction="out"}') ?? 0,
        ];
      };
      const [in0, out0] = await read();
      const put = await t.http
        .put(`${PROXY}/${path}`)
        .set('Content-Type', 'application/octet-stream')
        .send(body);
      expect(put.status).toBe(200);
      const got = await t.http.get(`${PROXY}/${path}`).buffer(true);
      expect(got.status).toBe(200);
      expect(await read()).toEqual([in0 + 3000, out0 + 3000]);
    });
  });

  it('boots with an unreachable FTP store, logs it once without the password, and is not ready', async () => {
    const { result: t, output } = await captured(() =>
      createTestApp(backend, { env: { ARTIFACTS_DESTINATION: CLOSED_FTP } }),
    );
    try {
      const line = output.split('\n').find((l) => l.includes('Artifact store ftp://'));
      expect(line).toContain('Artifact store ftp://***@127.0.0.1:1/x is unreachable');
      expect(line).toContain('connection refused');
      expect(output).not.toContain(FTP_PASSWORD);
      const health = await t.http.get('/health');
      expect(health.status).toBe(200);
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { artifact_store: { status: 'down', store: 'ftp://***@127.0.0.1:1/x' } },
      });
      const metrics = await t.http.get('/metrics');
      for (const text of [ready.text, metrics.text]) expect(text).not.toContain(FTP_PASSWORD);
    } finally {
      await t.close();
    }
  });

  it('is ready on the real vsftpd and reports its connection pool', async () => {
    const t = await createTestApp(backend, { env: { ARTIFACTS_DESTINATION: GOOD_FTP } });
    try {
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info.artifact_store).toEqual({
        status: 'up',
        store: 'ftp://***@127.0.0.1:2121/artifacts',
      });
      const metrics = await t.http.get('/metrics');
      expect(sample(metrics.text, 'flops_artifact_pool_max_connections{store="ftp"}')).toBe(4);
      expect(metrics.text).toContain('flops_artifact_pool_connections{store="ftp",state="idle"}');
      expect(metrics.text).not.toContain('flopsftp:flopsftp');
      expect(ready.text).not.toContain('flopsftp:flopsftp');
    } finally {
      await t.close();
    }
  });

  it('requires the bearer token on /metrics when METRICS_TOKEN is set', async () => {
    const t = await createTestApp(backend, { env: { METRICS_TOKEN } });
    try {
      const anonymous = await t.http.get('/metrics');
      expect([anonymous.status, anonymous.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
      const wrong = await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token');
      expect(wrong.status).toBe(401);
      const right = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
      expect(right.status).toBe(200);
      expect(right.text).not.toContain(METRICS_TOKEN);
      expect((await t.http.get('/health/ready')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('serves no /metrics with METRICS_ENABLED=false, readiness still', async () => {
    const t = await createTestApp(backend, { env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await t.http.get('/metrics')).status).toBe(404);
      expect((await t.http.get('/health/ready')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
