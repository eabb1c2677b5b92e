import { Metric } from '../entities';
import { compareMetricRecency, dedupeMetrics, latestPerKey, storableMetricValue } from './metrics';

const m = (step: number, timestamp: number, value: number, key = 'loss'): Metric => ({
  key,
  step,
  timestamp,
  value,
});

describe(compareMetricRecency.name, () => {
  it('orders by step, then timestamp, then value', () => {
    expect(compareMetricRecency(m(2, 0, 0), m(1, 9, 9))).toBeGreaterThan(0);
    expect(compareMetricRecency(m(1, 5, 0), m(1, 4, 9))).toBeGreaterThan(0);
    expect(compareMetricRecency(m(1, 5, 2), m(1, 5, 1))).toBeGreaterThan(0);
    expect(compareMetricRecency(m(1, 5, 1), m(1, 5, 1))).toBe(0);
  });

  it('counts NaN as the smallest value', () => {
    expect(compareMetricRecency(m(1, 5, NaN), m(1, 5, -1e300))).toBeLessThan(0);
    expect(compareMetricRecency(m(1, 5, NaN), m(1, 5, NaN))).toBe(0);
  });
});

describe(latestPerKey.name, () => {
  it('picks the greatest (step, timestamp, value) per key, whatever the arrival order', () => {
    const latest = latestPerKey([m(3, 1, 0.3), m(1, 9, 0.9), m(3, 1, 0.1), m(0, 0, 5, 'acc')]);
    expect(latest).toEqual([m(3, 1, 0.3), m(0, 0, 5, 'acc')]);
  });
});

describe(dedupeMetrics.name, () => {
  it('drops identical points, NaN included', () => {
    expect(
      dedupeMetrics([m(1, 1, NaN), m(1, 1, NaN), m(1, 1, 1), m(1, 1, 1), m(2, 1, 1)]),
    ).toHaveLength(3);
  });
});

describe(storableMetricValue.name, () => {
  it('stores ±Infinity as ±Number.MAX_VALUE like MLflow', () => {
    expect(storableMetricValue(Infinity)).toBe(Number.MAX_VALUE);
    expect(storableMetricValue(-Infinity)).toBe(-Number.MAX_VALUE);
    expect(storableMetricValue(0.5)).toBe(0.5);
  });
});
