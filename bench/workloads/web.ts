import { Browser, chromium, Page } from 'playwright-core';

import { API, Client, createExperiment, createRun } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { seriesValue } from '../lib/data';
import { replayAggregatorOver } from '../lib/flops-aggregator';
import { boundedLoop } from '../lib/loop';
import { log } from '../lib/report';
import { percentile } from '../lib/stats';
import { overClient, scores } from './flops';

/** Debian's Chromium, never a downloaded browser; the flags the test harness uses too. */
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
const RENDER_TIMEOUT_MS = 30_000;
const REPEATS = 5;

/** Two animation frames after `selector` shows: the browser has painted what it matched. */
async function painted(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector, { timeout: RENDER_TIMEOUT_MS });
  // Evaluated in the page (a string: the bench is compiled without the DOM's types).
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
  );
}

/**
 * Time from navigation to a painted view, over REPEATS fresh loads (the page's data and
 * assets come from the suite each time: no client cache survives a navigation).
 */
async function timeView(
  ctx: BenchContext,
  page: Page,
  name: string,
  url: string,
  selector: string,
): Promise<void> {
  const times: number[] = [];
  try {
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      await page.goto(ctx.baseUrl + url);
      await painted(page, selector);
      times.push(performance.now() - started);
    }
  } catch (error) {
    ctx.report.skipped(`i.${name}.p50_ms`, `not rendered: ${String(error).split('\n')[0]}`);
    return;
  }
  ctx.report.figure(`i.${name}.p50_ms`, percentile(times, 50), 'ms');
  ctx.report.figure(`i.${name}.max_ms`, Math.max(...times), 'ms');
}

/** In the page: one screen per frame for 8 s, recording each frame's duration. */
const SCROLL_THROUGH_TABLE = `(async () => {
  const box = document.querySelector('.scroll-box');
  if (!box) throw new Error('no scroll box');
  const frames = [];
  let last = performance.now();
  const until = last + 8000;
  while (performance.now() < until) {
    box.scrollTop += box.clientHeight;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  const rows = box.querySelectorAll('tbody tr[aria-rowindex]').length;
  return { frames, rows, total: Number(box.querySelector('table').getAttribute('aria-rowcount')) };
})()`;

/** Scrolls the runs table to its end in steps of one screen and counts frames over 50 ms. */
async function measureScroll(ctx: BenchContext, page: Page, url: string): Promise<void> {
  try {
    await page.goto(ctx.baseUrl + url);
    await painted(page, 'table tbody tr[aria-rowindex]');
    const result = await page.evaluate<{ frames: number[]; rows: number; total: number }>(
      SCROLL_THROUGH_TABLE,
    );
    ctx.report.figure('i.runs_scroll.frames', result.frames.length, 'frames');
    ctx.report.figure(
      'i.runs_scroll.frames_over_50ms',
      result.frames.filter((f) => f > 50).length,
      'frames',
    );
    ctx.report.figure('i.runs_scroll.p99_frame_ms', percentile(result.frames, 99), 'ms');
    ctx.report.figure('i.runs_scroll.rows_in_dom', result.rows, 'rows');
    ctx.report.figure('i.runs_scroll.rows_loaded', result.total - 1, 'rows');
  } catch (error) {
    ctx.report.skipped('i.runs_scroll.frames_over_50ms', String(error).split('\n')[0]);
  }
}

/**
 * (i) The web UI in Chromium: a 500-round FLOps project's charts, a comparison of 100 runs, a run
 * with one metric of 100k points, and scrolling an experiment of 10,000 runs. Seeds through the
 * REST API, then times navigation to a painted view. Not a test: nothing is asserted on time.
 */
export async function runWeb(ctx: BenchContext): Promise<void> {
  if (ctx.args.auth) {
    ctx.report.skipped('i.workload', 'the browser bench signs in nobody: run it without --auth');
    return;
  }
  const client = new Client(ctx.baseUrl, 8);
  let browser: Browser | undefined;
  try {
    const runCount = scaled(ctx, 10_000, 10);
    const experimentId = await createExperiment(client, `bench-i-${Date.now()}`);
    log(`(i) seeding ${runCount} runs with 3 metrics and 2 params each`);
    ctx.sampler?.enter('i.seed');
    const runIds: string[] = [];
    const seeded = await boundedLoop(
      { concurrency: 8, count: runCount, maxMs: 600_000, deadline: ctx.deadline },
      async (i) => {
        const runId = await createRun(client, experimentId, `run-${i}`);
        runIds[i] = runId;
        const now = Date.now();
        await client.postText(
          `${API}/runs/log-batch`,
          JSON.stringify({
            run_id: runId,
            metrics: ['loss', 'accuracy', 'f1'].map((key, k) => ({
              key,
              value: seriesValue(k, i),
              timestamp: now,
              step: 0,
            })),
            params: [
              { key: 'lr', value: String(10 ** -(1 + (i % 4))) },
              { key: 'strategy', value: i % 2 ? 'fedavg' : 'fedprox' },
            ],
          }),
        );
      },
    );
    ctx.ledger.metricRows += seeded.done * 3;

    const historyRun = await createRun(client, experimentId, 'history-100k');
    const points = scaled(ctx, 100_000, 1000);
    const base = Date.now();
    await boundedLoop(
      { concurrency: 4, count: Math.ceil(points / 1000), maxMs: 300_000, deadline: ctx.deadline },
      (b) =>
        client
          .postText(
            `${API}/runs/log-batch`,
            JSON.stringify({
              run_id: historyRun,
              metrics: Array.from({ length: 1000 }, (_, j) => ({
                key: 'loss',
                value: seriesValue(3, b * 1000 + j),
                timestamp: base + b * 1000 + j,
                step: b * 1000 + j,
              })),
            }),
          )
          .then(() => undefined),
    );
    ctx.ledger.metricRows += points;

    const project = await replayAggregatorOver(overClient(client), {
      projectId: `bench-i-${Date.now().toString(16)}`,
      rounds: scores(scaled(ctx, 500, 3)),
    });
    ctx.ledger.metricRows += project.metricPoints;

    ctx.sampler?.enter('i.browser');
    browser = await chromium.launch(CHROMIUM);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await timeView(
      ctx,
      page,
      'project_charts_500_rounds',
      `/projects/${project.experimentId}?tab=charts`,
      'main canvas',
    );
    await timeView(
      ctx,
      page,
      'compare_100_runs',
      `/compare?runs=${runIds.slice(0, 100).join(',')}`,
      'main table tbody tr',
    );
    await timeView(
      ctx,
      page,
      'run_metric_100k_points',
      `/experiments/${experimentId}/runs/${historyRun}?tab=metrics&metrics=loss`,
      'main canvas',
    );
    await timeView(
      ctx,
      page,
      'runs_table_first_rows',
      `/experiments/${experimentId}`,
      'table tbody tr[aria-rowindex]',
    );
    await measureScroll(ctx, page, `/experiments/${experimentId}`);
  } finally {
    await browser?.close();
    await client.close();
  }
}
