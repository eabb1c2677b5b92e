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

/**
 * The sampled series with the points in [start, end] replaced by the full-resolution ones fetched
 * for that range, so the zoomed view shows every point and the rest keeps its shape.
 */
export function mergeRange(
  sampled: readonly HistoryPoint[],
  full: readonly HistoryPoint[],
  start: number,
  end: number,
): HistoryPoint[] {
  const before = sampled.filter((p) => p.step < start);
  const after = sampled.filter((p) => p.step > end);
  const inside = full.filter((p) => p.step >= start && p.step <= end);
  return [...before, ...inside, ...after];
}

/** Whether a fetch that asked for at most `maxResults` points could have left points out. */
export function isSampled(received: number, maxResults: number): boolean {
  return received >= maxResults;
}

/** The x values and one y series of several histories on a shared step axis (gaps as nulls). */
export function alignSeries(series: readonly (readonly HistoryPoint[])[]): {
  x: number[];
  values: (number | null)[][];
} {
  const steps = [...new Set(series.flatMap((s) => s.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const values = series.map((s) => {
    const row: (number | null)[] = new Array<number | null>(steps.length).fill(null);
    for (const p of s) row[index.get(p.step)!] = p.value;
    return row;
  });
  return { x: steps, values };
}
