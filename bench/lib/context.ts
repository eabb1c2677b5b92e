import type { BenchArgs } from './args';
import type { Report } from './report';
import type { ScratchDb } from './scratch-db';
import type { MemorySampler } from './suite';

export interface BenchContext {
  args: BenchArgs;
  report: Report;
  baseUrl: string;
  /** performance.now() value after which no loop starts. */
  deadline: number;
  /** The scratch database the suite writes to (absent with --url). */
  suiteDb?: ScratchDb;
  /** A scratch database for the physical reference (e). */
  refDb: ScratchDb;
  sampler?: MemorySampler;
  /** Rows the run wrote to `metrics`, checked against the table at the end. */
  ledger: { metricRows: number };
  /** Checks run after every workload, when the server is quiet. */
  verifications: { name: string; run: () => Promise<void> }[];
}

/** A count scaled by --scale, at least `min`. */
export function scaled(ctx: BenchContext, count: number, min = 1): number {
  return Math.max(min, Math.round(count * ctx.args.scale));
}

export function remainingMs(ctx: BenchContext): number {
  return ctx.deadline - performance.now();
}
