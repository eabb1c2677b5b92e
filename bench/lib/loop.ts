import { nowMs } from './stats';

export interface LoopOptions {
  concurrency: number;
  /** At most this many tasks are started. */
  count: number;
  /** No task starts after this many ms from the loop's start. */
  maxMs: number;
  /** Global deadline (performance.now() value) that also stops the loop. */
  deadline?: number;
}

export interface LoopResult {
  /** Tasks that finished (indexes 0..done-1: workers take indexes in order and finish what they take). */
  done: number;
  /** Wall time of the whole loop, ms. */
  elapsedMs: number;
  /** Per-task latency, ms, in completion order. */
  latencies: number[];
  /** Latency of each task by index. */
  byIndex: number[];
  /** True when the loop stopped on time rather than on count. */
  timedOut: boolean;
}

/**
 * Runs task(0..count-1) on `concurrency` workers, each taking the next index as soon as it is
 * free, until the count is exhausted or the time is up. Every loop in the harness goes through
 * here, so every loop is bounded in count and time. A task that throws stops the loop and the
 * error propagates (after the other workers finish their current task).
 */
export async function boundedLoop(
  options: LoopOptions,
  task: (index: number) => Promise<void>,
): Promise<LoopResult> {
  const start = nowMs();
  const stopAt = Math.min(start + options.maxMs, options.deadline ?? Number.POSITIVE_INFINITY);
  const latencies: number[] = [];
  const byIndex: number[] = [];
  let next = 0;
  let done = 0;
  let timedOut = false;
  let failure: Error | undefined;
  const worker = async () => {
    while (failure === undefined && next < options.count) {
      if (nowMs() >= stopAt) {
        timedOut = true;
        return;
      }
      const index = next++;
      const t0 = nowMs();
      try {
        await task(index);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
        return;
      }
      const latency = nowMs() - t0;
      latencies.push(latency);
      byIndex[index] = latency;
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  if (failure !== undefined) throw failure;
  return { done, elapsedMs: nowMs() - start, latencies, byIndex, timedOut };
}
