/** Metric history points and the bookkeeping of a sampled series with a zoomed full range. */

export interface HistoryPoint {
  step: number;
  value: number | null;
}

/** Points sorted by step; for a step logged twice the later timestamp wins (as MLflow's latest). */
export function toSeries(
  metrics: readonly { step?: unknown; value: unknown; timestamp?: unknown }[],
  toNumber: (v: unknown) => number,
): HistoryPoint[] {
  const byStep = new Map<number, { value: number | null; timestamp: number }>();
  for (const m of metrics) {
    const step = toNumber(m.step ?? 0);
    const timestamp = toNumber(m.timestamp ?? 0);
    if (!Number.isFinite(step)) continue;
    const value = toNumber(m.value);
    const prior = byStep.get(step);
    if (prior && prior.timestamp > timestamp) continue;
    byStep.set(step, { value: Number.isFinite(value) ? value : null, timestamp });
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, p]) => ({ step, value: p.value }));
}

/** Whether a fetch that asked for at most `maxResults` points could have left points out. */
export function isSampled(received: number, maxResults: number): boolean {
  return received >= maxResults;
}
