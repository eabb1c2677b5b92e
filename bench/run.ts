import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

import type { RowDataPacket } from 'mysql2/promise';

import { parseArgs, Workload } from './lib/args';
import { API, authenticateEveryRequest, Client, HttpError } from './lib/client';
import { BenchContext, remainingMs } from './lib/context';
import { CpuAccount, findDatabasePid } from './lib/cpu';
import { log, Report } from './lib/report';
import { createScratchDb, ScratchDb } from './lib/scratch-db';
import { appMain, MemorySampler, readMemory, sleep, StartedSuite, startSuite } from './lib/suite';
import { ftpReachable, runArtifacts } from './workloads/artifacts';
import { runFlops } from './workloads/flops';
import { runHistory } from './workloads/history';
import { LogBatchResult, runLogBatch } from './workloads/log-batch';
import { runLogMetric } from './workloads/log-metric';
import { runReference } from './workloads/reference';
import { runSearch } from './workloads/search';
import { runWeb } from './workloads/web';

const ROOT = resolve(__dirname, '..', '..');

/**
 * `npm run bench`: starts the suite on a scratch MariaDB database (or uses --url), drives the
 * REST endpoints with the bodies MLflow clients send, prints `name value unit` per figure,
 * verifies what it wrote, drops the database, and exits 1 if anything was wrong.
 */
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const report = new Report(join(ROOT, 'bench', 'results', `${stamp}.txt`));
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const c of cleanups.reverse()) {
        await c().catch((e: Error) => log(`cleanup: ${e.message}`));
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void cleanup().then(() => process.exit(130));
    });
  }

  try {
    const deadline = performance.now() + args.maxMinutes * 60_000;
    report.figure('machine.cores', availableParallelism(), 'cores');
    report.figure('machine.mem_gib', Math.round(totalmem() / 2 ** 30), 'GiB');
    report.figure('bench.scale', args.scale, 'x');
    report.figure('machine.loadavg_1m_start', loadavg()[0], 'load');

    let suiteDb: ScratchDb | undefined;
    let suite: StartedSuite | undefined;
    const ftpOk = args.only.has('g') ? await ftpReachable(args.ftpUrl) : false;
    if (!args.url) {
      suiteDb = await createScratchDb('bench');
      const db = suiteDb;
      if (!args.keepDb) cleanups.push(() => db.drop());
      else log(`keeping scratch database ${db.name}`);
      log(`scratch database ${db.name}`);
      suite = await startSuite({
        root: ROOT,
        backendStoreUri: db.uri,
        nodeArgs: args.suiteNodeArgs,
        extraEnv: {
          ...(ftpOk ? { ARTIFACTS_DESTINATION: args.ftpUrl } : {}),
          ...(args.auth ? BENCH_ADMIN_ENV : {}),
          METRICS_ENABLED: String(args.metrics),
        },
        logFile: join(ROOT, 'bench', 'results', `${stamp}.suite.log`),
      });
      const s = suite;
      cleanups.push(() => s.stop());
    }
    const refDb = suiteDb ?? (await createScratchDb('bench_ref'));
    if (refDb !== suiteDb) cleanups.push(() => refDb.drop());
    const pid = suite?.pid ?? args.pid;
    const sampler =
      pid !== undefined
        ? new MemorySampler(pid, new CpuAccount(pid, findDatabasePid(), availableParallelism()))
        : undefined;
    const ctx: BenchContext = {
      args,
      report,
      baseUrl: suite?.url ?? args.url ?? '',
      deadline,
      suiteDb,
      refDb,
      sampler,
      ledger: { metricRows: 0 },
      verifications: [],
    };
    await logServerVersion(refDb);
    if (args.auth) await signInAsBenchUser(ctx.baseUrl);
    report.figure('bench.auth', args.auth ? 1 : 0, 'on');
    report.figure('bench.metrics', args.metrics ? 1 : 0, 'on');

    if (sampler && pid !== undefined) {
      await sleep(2000);
      report.figure('f.suite.idle_rss_mb', readMemory(pid)?.rssMb ?? Number.NaN, 'MB');
      if (suiteDb) await measureServicesIdle(report, suiteDb, args.suiteNodeArgs, stamp);
      sampler.start();
    }

    let fromA: LogBatchResult | undefined;
    const steps: [Workload, string, () => Promise<void>][] = [
      ['a', 'log-batch', async () => void (fromA = await runLogBatch(ctx))],
      ['e', 'physical reference', () => runReference(ctx, fromA)],
      ['b', 'log-metric', () => runLogMetric(ctx)],
      ['c', 'runs/search', () => runSearch(ctx)],
      ['d', 'get-history', () => runHistory(ctx)],
      ['g', 'artifact proxy', () => runArtifacts(ctx, ftpOk)],
      ['h', 'FLOps view', () => runFlops(ctx)],
      ['i', 'web UI in Chromium', () => runWeb(ctx)],
    ];
    for (const [id, title, work] of steps) {
      if (!args.only.has(id)) continue;
      if (remainingMs(ctx) <= 0) {
        report.skipped(`${id}.workload`, 'global deadline (--max-minutes) reached');
        report.fail(`(${id}) ${title} did not run: global deadline reached`);
        continue;
      }
      log(`workload (${id}) ${title}`);
      try {
        await work();
      } catch (error) {
        report.fail(`(${id}) ${title} failed: ${describe(error)}`);
      }
    }

    sampler?.enter('verify');
    log('verifying what was written');
    for (const v of ctx.verifications) {
      try {
        await v.run();
      } catch (error) {
        report.fail(`${v.name}: ${describe(error)}`);
      }
    }
    if (suiteDb && report.failed.length === 0) {
      const [rows] = await refDb
        .pool(1)
        .query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM metrics');
      const n = Number(rows[0].n);
      report.check(
        n === ctx.ledger.metricRows,
        `metrics table has ${n} rows, the run wrote ${ctx.ledger.metricRows}`,
      );
    }

    if (sampler && pid !== undefined) {
      sampler.enter('idle-after');
      await sleep(5000);
      sampler.stop();
      const m = readMemory(pid);
      report.figure('f.suite.peak_rss_mb', m?.hwmMb ?? sampler.peak, 'MB');
      for (const [phase, peak] of sampler.peakByPhase) {
        if (phase !== 'boot') report.figure(`f.suite.peak_rss_mb.${phase}`, peak, 'MB');
      }
      report.figure('f.suite.idle_after_rss_mb', m?.rssMb ?? Number.NaN, 'MB');
      // CPU per phase, in % of one core: the server, MariaDB, this driver, and everyone else.
      for (const [phase, share] of sampler.cpu.byPhase) {
        if (phase === 'boot') continue;
        report.figure(`cpu.${phase}.suite_pct`, share.suite, '%core');
        report.figure(`cpu.${phase}.mariadb_pct`, share.db, '%core');
        report.figure(`cpu.${phase}.bench_pct`, share.bench, '%core');
        report.figure(`cpu.${phase}.other_pct`, share.other, '%core');
        if (share.ops > 0) {
          // CPU time per operation does not depend on how busy the neighbours kept the machine.
          const perOp = (pct: number) => (pct / 100) * (share.wallMs / share.ops);
          report.figure(`cpu.${phase}.suite_ms_per_op`, perOp(share.suite), 'ms');
          report.figure(`cpu.${phase}.mariadb_ms_per_op`, perOp(share.db), 'ms');
          report.figure(`cpu.${phase}.ops`, share.ops, 'ops');
        }
      }
    } else {
      report.skipped('f.suite.peak_rss_mb', 'no server pid (pass --pid with --url)');
    }
    report.figure('machine.loadavg_1m_end', loadavg()[0], 'load');
  } catch (error) {
    report.fail(`harness: ${describe(error)}`);
  } finally {
    await cleanup();
  }

  if (report.failed.length > 0) {
    process.stderr.write(`\nbench: ${report.failed.length} check(s) failed:\n`);
    for (const f of report.failed) process.stderr.write(`  - ${f}\n`);
    return 1;
  }
  log('all checks passed');
  return 0;
}

/**
 * Idle RSS of each standalone service that has been built (`npm run build`), booted on the same
 * scratch database, 2 s after it answers /health; the suite's figure is measured separately.
 */
async function measureServicesIdle(
  report: Report,
  db: ScratchDb,
  nodeArgs: string[],
  stamp: string,
): Promise<void> {
  for (const app of ['tracking', 'model-registry', 'artifact-proxy']) {
    const name = `f.${app.replace('-', '_')}.idle_rss_mb`;
    if (!existsSync(join(ROOT, appMain(app)))) {
      report.skipped(name, `${appMain(app)} not built (run \`npm run build\` first)`);
      continue;
    }
    try {
      const service = await startSuite({
        root: ROOT,
        main: appMain(app),
        backendStoreUri: db.uri,
        nodeArgs: nodeArgs.filter((a) => !a.startsWith('--cpu-prof')),
        // Tracking and the registry on their own refuse to boot without a way to the artifact
        // bytes; idle, they never touch it.
        extraEnv: {
          ARTIFACTS_DESTINATION: `file:${join(tmpdir(), `flops-bench-${stamp}-${app}`)}`,
        },
        logFile: join(ROOT, 'bench', 'results', `${stamp}.${app}.log`),
      });
      try {
        await sleep(2000);
        report.figure(name, readMemory(service.pid)?.rssMb ?? Number.NaN, 'MB');
      } finally {
        await service.stop();
      }
    } catch (error) {
      report.fail(`${app} did not start: ${describe(error)}`);
    }
  }
}

async function logServerVersion(db: ScratchDb): Promise<void> {
  const [rows] = await db.pool(1).query<RowDataPacket[]>('SELECT VERSION() AS v');
  log(`database server ${String(rows[0].v)}, node ${process.version}`);
}

function describe(error: unknown): string {
  if (error instanceof HttpError) {
    return error.notImplemented ? `endpoint not implemented yet: ${error.message}` : error.message;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${describe(error)}\n`);
    process.exit(1);
  },
);

const BENCH_ADMIN = {
  username: 'bench-admin',
  password: `Bench-${randomBytes(12).toString('hex')}`,
};
const BENCH_ADMIN_ENV = {
  AUTH_MODE: 'basic',
  AUTH_ADMIN_USERNAME: BENCH_ADMIN.username,
  AUTH_ADMIN_PASSWORD: BENCH_ADMIN.password,
};

/**
 * `--auth`: the admin creates a plain user through MLflow's `users/create`, and every request
 * afterwards carries that user's Basic credentials, so each one pays authentication (cached) and
 * the access checks and search predicates a non-admin gets.
 */
async function signInAsBenchUser(baseUrl: string): Promise<void> {
  const user = { username: 'bench-user', password: `User-${randomBytes(12).toString('hex')}` };
  const basic = (u: { username: string; password: string }) =>
    `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
  authenticateEveryRequest(basic(BENCH_ADMIN));
  const admin = new Client(baseUrl, 1);
  try {
    await admin.post(`${API}/users/create`, user);
  } finally {
    await admin.close();
  }
  authenticateEveryRequest(basic(user));
}
