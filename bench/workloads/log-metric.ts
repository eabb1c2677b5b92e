import { API, Client, createExperiment, createRun, getMetricHistory, getRun } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { seriesValue } from '../lib/data';
import { boundedLoop } from '../lib/loop';
import { log } from '../lib/report';
import { percentile } from '../lib/stats';

const LEVELS = [
  { concurrency: 1, count: 3000 },
  { concurrency: 16, count: 20000 },
] as const;

/** The runs/log-metric body of `mlflow.log_metric` (Python client 2.17 key order). */
function logMetricBody(runId: string, step: number, timestamp: number): string {
  return JSON.stringify({
    run_uuid: runId,
    key: 'loss',
    value: seriesValue(0, step),
    timestamp,
    step,
    run_id: runId,
  });
}

/** (b) single log-metric calls at concurrency 1 and 16, one fresh run per level. */
export async function runLogMetric(ctx: BenchContext): Promise<void> {
  const client = new Client(ctx.baseUrl, 16);
  const experimentId = await createExperiment(client, `bench-b-${Date.now()}`);
  ctx.sampler?.enter('b.warmup');
  const warm = await createRun(client, experimentId, 'warmup');
  const warmCount = scaled(ctx, 500, 20);
  const w = await boundedLoop(
    { concurrency: 4, count: warmCount, maxMs: 20_000, deadline: ctx.deadline },
    (i) =>
      client
        .postText(`${API}/runs/log-metric`, logMetricBody(warm, i, Date.now()))
        .then(() => undefined),
  );
  ctx.ledger.metricRows += w.done;
  for (const { concurrency, count: full } of LEVELS) {
    ctx.sampler?.enter(`b.c${concurrency}`);
    const runId = await createRun(client, experimentId, `log-metric-c${concurrency}`);
    const count = scaled(ctx, full, 2 * concurrency);
    const now = Date.now();
    const bodies = Array.from({ length: count }, (_, i) => logMetricBody(runId, i, now));
    log(`(b) log-metric c=${concurrency}: up to ${count} calls`);
    const res = await boundedLoop(
      { concurrency, count, maxMs: 30_000, deadline: ctx.deadline },
      (i) => client.postText(`${API}/runs/log-metric`, bodies[i]).then(() => undefined),
    );
    ctx.ledger.metricRows += res.done;
    ctx.sampler?.count(res.done);
    const name = `b.log_metric.c${concurrency}`;
    ctx.report.figure(`${name}.calls_per_s`, res.done / (res.elapsedMs / 1000), 'calls/s');
    ctx.report.figure(`${name}.p50_ms`, percentile(res.latencies, 50), 'ms');
    ctx.report.figure(`${name}.p99_ms`, percentile(res.latencies, 99), 'ms');
    ctx.report.figure(`${name}.calls`, res.done, 'calls');
    ctx.verifications.push({
      name: `(b) c=${concurrency} history and latest value`,
      run: async () => {
        const { metrics } = await getMetricHistory(client, runId, 'loss');
        const steps = new Set(metrics.map((m) => m.step));
        ctx.report.check(
          metrics.length === res.done && steps.size === res.done,
          `run ${runId} loss: ${metrics.length} points (${steps.size} steps), expected ${res.done}`,
        );
        const latest = (await getRun(client, runId)).data.metrics?.find((m) => m.key === 'loss');
        const last = res.done - 1;
        ctx.report.check(
          latest !== undefined && latest.step === last && latest.value === seriesValue(0, last),
          `run ${runId} loss: latest is ${JSON.stringify(latest)}, expected step ${last}`,
        );
      },
    });
  }
  ctx.verifications.push({ name: '(b) close', run: () => client.close() });
}
