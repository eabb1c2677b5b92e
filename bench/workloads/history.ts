import { API, Client, createExperiment, createRun, MetricJson } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { seriesValue } from '../lib/data';
import { boundedLoop } from '../lib/loop';
import { historyAllPages } from '../lib/pages';
import { log } from '../lib/report';
import { percentile } from '../lib/stats';

const POINTS_PER_BATCH = 1000;

/** (d) get-history of one metric with 100,000 steps, paged by 25,000 as the Python client does. */
export async function runHistory(ctx: BenchContext): Promise<void> {
  const client = new Client(ctx.baseUrl, 4);
  try {
    const experimentId = await createExperiment(client, `bench-d-${Date.now()}`);
    const runId = await createRun(client, experimentId, 'history');
    const batches = Math.ceil(scaled(ctx, 100_000, POINTS_PER_BATCH) / POINTS_PER_BATCH);
    const points = batches * POINTS_PER_BATCH;
    const base = Date.now();
    log(`(d) seeding ${points} points of one metric`);
    ctx.sampler?.enter('d.seed');
    const seed = await boundedLoop(
      { concurrency: 4, count: batches, maxMs: 120_000, deadline: ctx.deadline },
      (b) => {
        const metrics = Array.from({ length: POINTS_PER_BATCH }, (_, j) => {
          const step = b * POINTS_PER_BATCH + j;
          return { key: 'loss', value: seriesValue(3, step), timestamp: base + step, step };
        });
        return client
          .postText(`${API}/runs/log-batch`, JSON.stringify({ run_id: runId, metrics }))
          .then(() => undefined);
      },
    );
    ctx.ledger.metricRows += seed.done * POINTS_PER_BATCH;
    if (seed.done < batches) {
      ctx.report.skipped(
        'd.history.p50_ms',
        `seeded only ${seed.done * POINTS_PER_BATCH} points in time`,
      );
      return;
    }
    ctx.sampler?.enter('d.history');
    let firstTexts: string[] = [];
    const res = await boundedLoop(
      { concurrency: 1, count: 15, maxMs: 60_000, deadline: ctx.deadline },
      async (rep) => {
        const texts = await historyAllPages(client, runId, 'loss', Math.ceil(points / 25000) + 2);
        if (rep === 0) firstTexts = texts;
      },
    );
    ctx.sampler?.count(res.done);
    const p50 = percentile(res.latencies, 50);
    ctx.report.figure('d.history.points', points, 'points');
    ctx.report.figure('d.history.pages', firstTexts.length, 'pages');
    ctx.report.figure('d.history.p50_ms', p50, 'ms');
    ctx.report.figure('d.history.p99_ms', percentile(res.latencies, 99), 'ms');
    ctx.report.figure('d.history.points_per_s', points / (p50 / 1000), 'points/s');
    ctx.report.figure(
      'd.history.response_mb',
      firstTexts.reduce((n, t) => n + t.length, 0) / 1e6,
      'MB',
    );

    const got = firstTexts.flatMap(
      (t) => (JSON.parse(t) as { metrics?: MetricJson[] }).metrics ?? [],
    );
    if (
      ctx.report.check(got.length === points, `history: ${got.length} points, expected ${points}`)
    ) {
      const bad = got.findIndex(
        (m, s) => m.step !== s || m.value !== seriesValue(3, s) || m.timestamp !== base + s,
      );
      ctx.report.check(bad < 0, `history: point ${bad} is ${JSON.stringify(got[bad])}`);
    }
  } finally {
    await client.close();
  }
}
