import { API, Client, createExperiment, createRun, getMetricHistory, getRun } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { seriesValue } from '../lib/data';
import { boundedLoop } from '../lib/loop';
import { log } from '../lib/report';
import { max, percentile } from '../lib/stats';

export const BATCH_KEYS = 10;
export const STEPS_PER_BATCH = 100; // 10 keys x 100 steps = 1000 metrics per request
export const LEVELS = [1, 4, 8] as const;
const LEVEL_MAX_MS = 60_000;

/** How many requests each concurrency level of (a) completed; (e) inserts the same rows. */
export type LogBatchResult = Map<number, number>;

/** The log-batch body of `client.log_batch(run_id, metrics=[...])`: params/tags omitted when empty. */
export function logBatchBody(runId: string, request: number, timestamp: number): string {
  const metrics = [];
  for (let s = 0; s < STEPS_PER_BATCH; s++) {
    const step = request * STEPS_PER_BATCH + s;
    for (let k = 0; k < BATCH_KEYS; k++) {
      metrics.push({ key: `m${k}`, value: seriesValue(k, step), timestamp, step });
    }
  }
  return JSON.stringify({ run_id: runId, metrics });
}

/** (a) log-batch of 1000 metrics per request at concurrency 1, 4 and 8, each on a fresh run. */
export async function runLogBatch(ctx: BenchContext): Promise<LogBatchResult> {
  const client = new Client(ctx.baseUrl, Math.max(...LEVELS));
  const result: LogBatchResult = new Map();
  try {
    const experimentId = await createExperiment(client, `bench-a-${Date.now()}`);
    // Warm-up on its own run (JIT, pools, buffer pool); not reported.
    ctx.sampler?.enter('a.warmup');
    const warm = await createRun(client, experimentId, 'warmup');
    const warmCount = scaled(ctx, 40, 4);
    const warmBodies = Array.from({ length: warmCount }, (_, r) =>
      logBatchBody(warm, r, Date.now()),
    );
    const w = await boundedLoop(
      { concurrency: 4, count: warmCount, maxMs: 30_000, deadline: ctx.deadline },
      (r) => client.postText(`${API}/runs/log-batch`, warmBodies[r]).then(() => undefined),
    );
    ctx.ledger.metricRows += w.done * BATCH_KEYS * STEPS_PER_BATCH;
    const perRequest = BATCH_KEYS * STEPS_PER_BATCH;

    for (const c of LEVELS) {
      ctx.sampler?.enter(`a.c${c}`);
      const runId = await createRun(client, experimentId, `log-batch-c${c}`);
      const count = scaled(ctx, 200, 2 * c);
      const now = Date.now();
      const bodies = Array.from({ length: count }, (_, r) => logBatchBody(runId, r, now + r));
      log(`(a) log-batch c=${c}: up to ${count} requests of ${perRequest} metrics`);
      const res = await boundedLoop(
        { concurrency: c, count, maxMs: LEVEL_MAX_MS, deadline: ctx.deadline },
        (r) => client.postText(`${API}/runs/log-batch`, bodies[r]).then(() => undefined),
      );
      result.set(c, res.done);
      ctx.sampler?.count(res.done);
      ctx.ledger.metricRows += res.done * perRequest;
      const p50 = percentile(res.latencies, 50);
      const p99 = percentile(res.latencies, 99);
      const name = `a.log_batch.c${c}`;
      ctx.report.figure(
        `${name}.metrics_per_s`,
        (res.done * perRequest) / (res.elapsedMs / 1000),
        'metrics/s',
      );
      ctx.report.figure(`${name}.p50_ms`, p50, 'ms');
      ctx.report.figure(`${name}.p99_ms`, p99, 'ms');
      ctx.report.figure(`${name}.requests`, res.done, 'requests');
      if (c === 8) {
        // Concurrent first writes to a fresh run: the first wave of c requests all start together.
        ctx.report.figure(`${name}.first_wave_max_ms`, max(res.byIndex.slice(0, c)), 'ms');
        ctx.report.figure(`${name}.p99_over_p50`, p99 / p50, 'ratio');
      }
      ctx.verifications.push({
        name: `(a) c=${c} history and latest values`,
        run: () => verifySeries(ctx, client, runId, res.done),
      });
    }
  } catch (error) {
    await client.close();
    throw error;
  }
  ctx.verifications.push({ name: '(a) close', run: () => client.close() });
  return result;
}

/** Every point of every key is there once, in order, with its value; runs/get shows the last step. */
async function verifySeries(ctx: BenchContext, client: Client, runId: string, requests: number) {
  const steps = requests * STEPS_PER_BATCH;
  const run = await getRun(client, runId);
  const latest = new Map((run.data.metrics ?? []).map((m) => [m.key, m]));
  for (let k = 0; k < BATCH_KEYS; k++) {
    const key = `m${k}`;
    const { metrics } = await getMetricHistory(client, runId, key);
    if (
      !ctx.report.check(
        metrics.length === steps,
        `run ${runId} ${key}: ${metrics.length} points, expected ${steps}`,
      )
    ) {
      continue;
    }
    for (let s = 0; s < steps; s++) {
      const m = metrics[s];
      if (m.step !== s || m.value !== seriesValue(k, s)) {
        ctx.report.fail(
          `run ${runId} ${key}: point ${s} is step ${m.step} value ${String(m.value)}`,
        );
        break;
      }
    }
    const l = latest.get(key);
    ctx.report.check(
      l !== undefined && l.step === steps - 1 && l.value === seriesValue(k, steps - 1),
      `run ${runId} ${key}: latest is ${JSON.stringify(l)}, expected step ${steps - 1} value ${seriesValue(k, steps - 1)}`,
    );
  }
}
