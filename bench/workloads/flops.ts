import { Client } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { AggregatorHttp, replayAggregatorOver, RoundScore } from '../lib/flops-aggregator';
import { boundedLoop } from '../lib/loop';
import { log } from '../lib/report';
import { percentile } from '../lib/stats';

const FLOPS = '/api/2.0/flops';
const SERIES_METRICS = 'loss,accuracy,system/cpu_utilization_percentage';

/** The undici client as the aggregator's transport. */
export function overClient(client: Client): AggregatorHttp {
  return {
    send: async ({ method, path, query, json, raw }) => {
      const url = query ? `${path}?${new URLSearchParams(query).toString()}` : path;
      const res = await client.request(method, url, {
        json: json === undefined ? undefined : JSON.stringify(json),
        raw,
      });
      let body: unknown = res.text;
      try {
        body = JSON.parse(res.text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body };
    },
  };
}

/** Loss falls and accuracy rises, with a dip every 7th round so the best is not always last. */
export function scores(rounds: number): RoundScore[] {
  return Array.from({ length: rounds }, (_, i) => {
    const dip = i % 7 === 6 ? 0.05 : 0;
    return { loss: 1 / (i + 2) + dip, accuracy: 1 - 1 / (i + 2) - dip };
  });
}

/**
 * (h) The FLOps view: 50 projects × 200 rounds logged as the aggregator does (reference §2.1),
 * plus one 500-round project, then the project list, a round page, a 3-metric series over 500
 * rounds and the best round, each timed over repeated calls.
 */
export async function runFlops(ctx: BenchContext): Promise<void> {
  const client = new Client(ctx.baseUrl, 8);
  const http = overClient(client);
  try {
    const projects = scaled(ctx, 50);
    const rounds = scaled(ctx, 200, 3);
    const longRounds = scaled(ctx, 500, 3);
    const stamp = Date.now().toString(16);
    log(`(h) seeding ${projects} FLOps projects × ${rounds} rounds and one of ${longRounds}`);
    ctx.sampler?.enter('h.seed');
    const experimentIds: string[] = [];
    const seed = await boundedLoop(
      {
        concurrency: 8,
        count: projects,
        maxMs: Math.max(300_000, projects * rounds * 20),
        deadline: ctx.deadline,
      },
      async (p) => {
        const replay = await replayAggregatorOver(http, {
          projectId: `bench-${stamp}-${p}`,
          rounds: scores(rounds),
        });
        experimentIds[p] = replay.experimentId;
        ctx.ledger.metricRows += replay.metricPoints;
      },
    );
    const long = await replayAggregatorOver(http, {
      projectId: `bench-${stamp}-long`,
      rounds: scores(longRounds),
    });
    ctx.ledger.metricRows += long.metricPoints;
    ctx.report.figure('h.seed.projects', seed.done, 'projects');
    ctx.report.figure('h.seed.s', seed.elapsedMs / 1000, 's');
    if (seed.done < projects) {
      ctx.report.skipped('h.projects.p50_ms', `seeded only ${seed.done} projects in time`);
      return;
    }

    const timed = async (name: string, path: string, verify: (text: string) => boolean) => {
      ctx.sampler?.enter(`h.${name}`);
      let first = '';
      const res = await boundedLoop(
        { concurrency: 1, count: 50, maxMs: 30_000, deadline: ctx.deadline },
        async (i) => {
          const text = await client.getText(path);
          if (i === 0) first = text;
        },
      );
      ctx.sampler?.count(res.done);
      ctx.report.figure(`h.${name}.p50_ms`, percentile(res.latencies, 50), 'ms');
      ctx.report.figure(`h.${name}.p99_ms`, percentile(res.latencies, 99), 'ms');
      ctx.report.check(verify(first), `(h) ${name}: unexpected answer ${first.slice(0, 300)}`);
    };

    const some = experimentIds[0];
    await timed('projects', `${FLOPS}/projects?max_results=100`, (text) => {
      const body = JSON.parse(text) as { projects?: { rounds: number }[] };
      return (body.projects ?? []).length >= Math.min(100, projects + 1);
    });
    await timed('rounds_page', `${FLOPS}/projects/${some}/rounds?max_results=100`, (text) => {
      const body = JSON.parse(text) as { rounds?: { round: number }[] };
      return (body.rounds ?? []).length === Math.min(100, rounds);
    });
    await timed(
      'series_3x500',
      `${FLOPS}/projects/${long.experimentId}/series?metrics=${encodeURIComponent(SERIES_METRICS)}`,
      (text) => {
        const body = JSON.parse(text) as { metrics?: { points: unknown[] }[] };
        return (body.metrics ?? []).every((m) => m.points.length === longRounds);
      },
    );
    await timed('best_round', `${FLOPS}/projects/${long.experimentId}/best-round`, (text) => {
      const body = JSON.parse(text) as { best_round?: { round: number } };
      return body.best_round !== undefined;
    });

    // Promotion: the first call registers the trained model; repeats are the idempotent path
    // (a retried request finds its version), which is what the timed loop measures.
    const promote = `${FLOPS}/projects/${some}/register-model`;
    const started = performance.now();
    const promoted = await client.post<{ model_version?: { version?: string } }>(promote, {});
    ctx.report.figure('h.promotion.first_ms', performance.now() - started, 'ms');
    ctx.sampler?.enter('h.promotion_repeat');
    const repeats = await boundedLoop(
      { concurrency: 1, count: 20, maxMs: 30_000, deadline: ctx.deadline },
      async () => {
        const again = await client.post<{ model_version?: { version?: string } }>(promote, {});
        ctx.report.check(
          again.model_version?.version === promoted.model_version?.version,
          `(h) a repeated promotion made version ${again.model_version?.version}`,
        );
      },
    );
    ctx.sampler?.count(repeats.done);
    ctx.report.figure('h.promotion_repeat.p50_ms', percentile(repeats.latencies, 50), 'ms');
    await timed('lineage', `${FLOPS}/projects/${some}/lineage`, (text) => {
      const body = JSON.parse(text) as { versions?: unknown[] };
      return (body.versions ?? []).length === 1;
    });
  } finally {
    await client.close();
  }
}
