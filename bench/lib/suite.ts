import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { CpuAccount } from './cpu';
import { log } from './report';

/** Where `nest build <app>` puts an app's entry point. */
export function appMain(app: string): string {
  return `dist/apps/${app}/apps/${app}/src/main.js`;
}

export const SUITE_MAIN = appMain('suite');

/**
 * The node flags `npm start` runs every service with (package.json `config.service_node_flags`),
 * so the bench measures the process as it is shipped; `--suite-node-args` come after and win.
 */
export function serviceNodeFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    config?: { service_node_flags?: string };
  };
  return (pkg.config?.service_node_flags ?? '').split(/\s+/).filter(Boolean);
}

export interface StartedSuite {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `node <main>` with the given environment, waits for /health, returns its pid and URL. */
export async function startSuite(options: {
  root: string;
  backendStoreUri: string;
  nodeArgs: string[];
  extraEnv: Record<string, string>;
  logFile: string;
  bootTimeoutMs?: number;
  /** Entry point relative to root (default: the suite). */
  main?: string;
}): Promise<StartedSuite> {
  const main = resolve(options.root, options.main ?? SUITE_MAIN);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nest build suite\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = createWriteStream(options.logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [...serviceNodeFlags(options.root), ...options.nodeArgs, main],
    {
      cwd: options.root,
      env: {
        ...process.env,
        ...options.extraEnv,
        BACKEND_STORE_URI: options.backendStoreUri,
        HOST: '127.0.0.1',
        PORT: String(port),
        MIGRATE_ON_START: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  let exited: number | null = null;
  child.once('exit', (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the suite');

  const stop = async () => {
    if (exited !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  const bootDeadline = Date.now() + (options.bootTimeoutMs ?? 90_000);
  for (;;) {
    if (exited !== null) {
      throw new Error(
        `the suite exited with ${String(exited)} while booting; see ${options.logFile}`,
      );
    }
    if (Date.now() > bootDeadline) {
      await stop();
      throw new Error(`the suite did not answer /health in time; see ${options.logFile}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  log(`${options.main ?? 'suite'} pid ${pid} listening on ${url} (log: ${options.logFile})`);
  return { url, pid, logFile: options.logFile, stop };
}

/** VmRSS and VmHWM (peak) of a process, in MiB, from /proc; undefined when it is gone. */
export function readMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Samples the server's VmRSS every `intervalMs`, keeping the peak per named phase, and accounts
 * the machine's CPU per phase.
 */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private phase = 'boot';
  readonly peakByPhase = new Map<string, number>();
  peak = 0;

  constructor(
    private readonly pid: number,
    readonly cpu: CpuAccount,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  enter(phase: string): void {
    this.sample();
    this.cpu.enter(phase);
    this.phase = phase;
    this.sample();
  }

  /** Operations done in the current phase (CPU time per operation is reported for it). */
  count(ops: number): void {
    this.cpu.count(ops);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    this.cpu.enter('end');
  }

  sample(): number | undefined {
    const m = readMemory(this.pid);
    if (!m) return undefined;
    this.peak = Math.max(this.peak, m.rssMb);
    this.peakByPhase.set(this.phase, Math.max(this.peakByPhase.get(this.phase) ?? 0, m.rssMb));
    return m.rssMb;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
