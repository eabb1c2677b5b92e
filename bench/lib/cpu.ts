import { readdirSync, readFileSync } from 'node:fs';

/** Jiffies of the whole machine: busy and total (summed over cores). */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  const busy = user + nice + system + irq + softirq + (steal ?? 0);
  return { busy, total: busy + idle + iowait };
}

/** utime + stime of one process, in jiffies (0 when it is gone). */
function processTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** The pid of the local MariaDB/MySQL server, found by its command name. */
export function findDatabasePid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

interface Snapshot {
  at: number;
  busy: number;
  total: number;
  suite: number;
  db: number;
  bench: number;
}

export interface CpuShare {
  /** Each in % of one core over the phase. */
  suite: number;
  db: number;
  bench: number;
  /** Everything else on the machine (other users' processes): high means the figures are noisy. */
  other: number;
  idle: number;
  /** Wall time of the phase. */
  wallMs: number;
  /** Operations the workload counted in the phase (requests, statements, fetches). */
  ops: number;
}

/**
 * Where the machine's CPU went during each phase: the server, the database, this driver, and
 * everything else. The machine is shared, so `other` says how much to trust a phase's figures.
 */
export class CpuAccount {
  private last: Snapshot;
  private phase = 'boot';
  private ops = 0;
  private readonly cores: number;
  readonly byPhase = new Map<string, CpuShare>();

  constructor(
    private readonly suitePid: number | undefined,
    private readonly dbPid: number | undefined,
    cores: number,
  ) {
    this.cores = cores;
    this.last = this.snapshot();
  }

  enter(phase: string): void {
    const now = this.snapshot();
    const d = (k: keyof Snapshot) => now[k] - this.last[k];
    const coreTicks = d('total') / this.cores; // jiffies of one core over the phase
    if (coreTicks > 0) {
      const pct = (x: number) => (100 * x) / coreTicks;
      const suite = d('suite');
      const db = d('db');
      const bench = d('bench');
      this.byPhase.set(this.phase, {
        suite: pct(suite),
        db: pct(db),
        bench: pct(bench),
        other: pct(Math.max(0, d('busy') - suite - db - bench)),
        idle: pct(d('total') - d('busy')),
        wallMs: d('at'),
        ops: this.ops,
      });
    }
    this.last = now;
    this.phase = phase;
    this.ops = 0;
  }

  /** Counts operations done in the current phase, for CPU time per operation. */
  count(ops: number): void {
    this.ops += ops;
  }

  private snapshot(): Snapshot {
    const m = machineTicks();
    return {
      at: performance.now(),
      ...m,
      suite: processTicks(this.suitePid),
      db: processTicks(this.dbPid),
      bench: processTicks(process.pid),
    };
  }
}
