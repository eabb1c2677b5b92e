import { API, Client, createExperiment, createRunBody, RunJson } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { uniform } from '../lib/data';
import { boundedLoop } from '../lib/loop';
import { searchAllPages } from '../lib/pages';
import { log } from '../lib/report';
import { percentile } from '../lib/stats';

const FILTER = "metrics.m0 > 0.5 and params.p0 = 'a'";
const ORDER_BY = ['metrics.m1 DESC'];
const SEED_CONCURRENCY = 8;
const SIZES = [
  { label: '1k', runs: 1_000, allPages: false },
  { label: '10k', runs: 10_000, allPages: true },
  { label: '100k', runs: 100_000, allPages: true },
] as const;
/** Below this scale the 100k point would be a few thousand runs: not worth the seeding time. */
const MIN_SCALE_FOR_100K = 0.25;

/** Run i's seeded data: 5 metrics, 5 params, 2 tags (on top of the runs/create source tags). */
export function seededRun(i: number) {
  return {
    metrics: Array.from({ length: 5 }, (_, k) => ({ key: `m${k}`, value: uniform(i, k) })),
    params: [
      { key: 'p0', value: uniform(i, 5) < 0.5 ? 'a' : 'b' },
      ...Array.from({ length: 4 }, (_, k) => ({ key: `p${k + 1}`, value: `v${(i + k) % 7}` })),
    ],
    tags: [
      { key: 't0', value: 'bench' },
      { key: 't1', value: `g${i % 10}` },
    ],
  };
}

function matches(i: number): boolean {
  const r = seededRun(i);
  return r.metrics[0].value > 0.5 && r.params[0].value === 'a';
}

/**
 * (c) runs/search over one experiment grown to 1k, 10k and 100k runs (each run created with
 * runs/create, then one log-batch, as a client does): setup rate, first page of 100 at each
 * size, and every page of 1000 at 10k (and 100k).
 */
export async function runSearch(ctx: BenchContext): Promise<void> {
  const client = new Client(ctx.baseUrl, SEED_CONCURRENCY);
  try {
    const experimentId = await createExperiment(client, `bench-c-${Date.now()}`);
    const runIds: string[] = [];
    let seeded = 0;
    const base = Date.now();
    for (const size of SIZES) {
      const name = `c.search.runs_${size.label}`;
      if (size.runs === 100_000 && ctx.args.scale < MIN_SCALE_FOR_100K) {
        for (const f of ['setup.runs_per_s', 'first_page.p50_ms', 'all_pages.p50_ms']) {
          ctx.report.skipped(`${name}.${f}`, `--scale ${ctx.args.scale} < ${MIN_SCALE_FOR_100K}`);
        }
        continue;
      }
      const target = scaled(ctx, size.runs, 10);
      ctx.sampler?.enter(`c.seed_${size.label}`);
      log(`(c) seeding runs ${seeded}..${target - 1}`);
      const from = seeded;
      const res = await boundedLoop(
        {
          concurrency: SEED_CONCURRENCY,
          count: target - from,
          maxMs: Math.max(120_000, (target - from) * 10),
          deadline: ctx.deadline,
        },
        async (j) => {
          const i = from + j;
          const create = await client.postText(
            `${API}/runs/create`,
            createRunBody(experimentId, `search-${i}`, base + i),
          );
          const runId = (JSON.parse(create) as { run: RunJson }).run.info.run_id;
          runIds[i] = runId;
          const data = seededRun(i);
          const timestamp = Date.now();
          await client.postText(
            `${API}/runs/log-batch`,
            JSON.stringify({
              run_id: runId,
              metrics: data.metrics.map((m) => ({ ...m, timestamp, step: 0 })),
              params: data.params,
              tags: data.tags,
            }),
          );
        },
      );
      seeded = from + res.done;
      ctx.sampler?.count(res.done);
      ctx.ledger.metricRows += res.done * 5;
      ctx.report.figure(`${name}.setup.runs_per_s`, res.done / (res.elapsedMs / 1000), 'runs/s');
      if (seeded < target) {
        for (const f of ['first_page.p50_ms', 'all_pages.p50_ms']) {
          ctx.report.skipped(
            `${name}.${f}`,
            `seeded only ${seeded} of ${target} runs before the time cap`,
          );
        }
        break;
      }

      const expected = [];
      for (let i = 0; i < target; i++) if (matches(i)) expected.push(i);
      expected.sort((x, y) => uniform(y, 1) - uniform(x, 1));
      const expectedIds = expected.map((i) => runIds[i]);
      ctx.report.figure(`${name}.matches`, expected.length, 'runs');

      ctx.sampler?.enter(`c.first_page_${size.label}`);
      const body = { experiment_ids: [experimentId], filter: FILTER, order_by: ORDER_BY };
      let firstTexts: string[] = [];
      const first = await boundedLoop(
        { concurrency: 1, count: 30, maxMs: 30_000, deadline: ctx.deadline },
        async (rep) => {
          const texts = await searchAllPages(
            client,
            { ...body, max_results: 100 },
            { maxPages: 1, firstPageOnly: true },
          );
          if (rep === 0) firstTexts = texts;
        },
      );
      ctx.sampler?.count(first.done);
      ctx.report.figure(`${name}.first_page.p50_ms`, percentile(first.latencies, 50), 'ms');
      ctx.report.figure(`${name}.first_page.p99_ms`, percentile(first.latencies, 99), 'ms');
      verifyPages(
        ctx,
        `${size.label} first page`,
        firstTexts,
        expectedIds.slice(0, 100),
        expected.length > 100,
      );

      if (size.allPages) {
        ctx.sampler?.enter(`c.all_pages_${size.label}`);
        let allTexts: string[] = [];
        const maxPages = Math.ceil(expected.length / 1000) + 2;
        const all = await boundedLoop(
          {
            concurrency: 1,
            count: size.runs === 100_000 ? 3 : 10,
            maxMs: 60_000,
            deadline: ctx.deadline,
          },
          async (rep) => {
            const texts = await searchAllPages(
              client,
              { ...body, max_results: 1000 },
              { maxPages },
            );
            if (rep === 0) allTexts = texts;
          },
        );
        ctx.sampler?.count(all.done);
        ctx.report.figure(`${name}.all_pages.p50_ms`, percentile(all.latencies, 50), 'ms');
        ctx.report.figure(`${name}.all_pages.pages`, allTexts.length, 'pages');
        verifyPages(ctx, `${size.label} all pages`, allTexts, expectedIds, false);
      }
    }
  } finally {
    await client.close();
  }
}

/** The pages hold exactly the expected runs in order, each with its seeded data. */
function verifyPages(
  ctx: BenchContext,
  what: string,
  texts: string[],
  expectedIds: string[],
  moreExpected: boolean,
) {
  const pages = texts.map((t) => JSON.parse(t) as { runs?: RunJson[]; next_page_token?: string });
  const runs = pages.flatMap((p) => p.runs ?? []);
  const got = runs.map((r) => r.info.run_id);
  if (
    !ctx.report.check(
      got.length === expectedIds.length,
      `search ${what}: ${got.length} runs, expected ${expectedIds.length}`,
    )
  ) {
    return;
  }
  const wrong = got.findIndex((id, k) => id !== expectedIds[k]);
  ctx.report.check(
    wrong < 0,
    `search ${what}: run #${wrong} is ${got[wrong]}, expected ${expectedIds[wrong]}`,
  );
  if (moreExpected) {
    ctx.report.check(
      Boolean(pages[pages.length - 1].next_page_token),
      `search ${what}: no next_page_token`,
    );
  }
  for (const run of runs.slice(0, 50)) {
    const m0 = run.data.metrics?.find((m) => m.key === 'm0');
    const p0 = run.data.params?.find((p) => p.key === 'p0');
    const ok =
      typeof m0?.value === 'number' &&
      m0.value > 0.5 &&
      p0?.value === 'a' &&
      run.data.metrics?.length === 5 &&
      run.data.params?.length === 5 &&
      run.data.tags?.some((t) => t.key === 't1') === true;
    if (
      !ctx.report.check(
        ok,
        `search ${what}: run ${run.info.run_id} data is ${JSON.stringify(run.data).slice(0, 300)}`,
      )
    ) {
      break;
    }
  }
}
