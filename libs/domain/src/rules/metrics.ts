import { Metric } from '../entities';
import { compareInt64 } from './proto-scalars';

/** ±Infinity are stored and returned as ±Number.MAX_VALUE, as MLflow's SQL store does. */
export function storableMetricValue(value: number): number {
  if (value === Infinity) return Number.MAX_VALUE;
  if (value === -Infinity) return -Number.MAX_VALUE;
  return value;
}

/**
 * The order that decides a run's latest metric: greatest step, then timestamp, then value
 * (NaN counts as the smallest value). Positive when `a` is later than `b`.
 */
export function compareMetricRecency(a: Metric, b: Metric): number {
  if (a.step !== b.step) return compareInt64(a.step, b.step);
  if (a.timestamp !== b.timestamp) return compareInt64(a.timestamp, b.timestamp);
  const av = Number.isNaN(a.value) ? -Infinity : a.value;
  const bv = Number.isNaN(b.value) ? -Infinity : b.value;
  if (av === bv) {
    return Number.isNaN(a.value) === Number.isNaN(b.value) ? 0 : Number.isNaN(a.value) ? -1 : 1;
  }
  return av < bv ? -1 : 1;
}

/** The latest point per key among `metrics`. */
export function latestPerKey(metrics: Metric[]): Metric[] {
  const latest = new Map<string, Metric>();
  for (const metric of metrics) {
    const current = latest.get(metric.key);
    if (!current || compareMetricRecency(metric, current) > 0) latest.set(metric.key, metric);
  }
  return [...latest.values()];
}

/** Removes exact duplicates (key, value, timestamp, step) from one batch; NaN equals NaN here. */
export function dedupeMetrics(metrics: Metric[]): Metric[] {
  const seen = new Set<string>();
  return metrics.filter((m) => {
    const id = `${m.key}\u0000${Number.isNaN(m.value) ? 'NaN' : m.value}\u0000${m.timestamp}\u0000${m.step}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
