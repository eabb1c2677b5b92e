import { alignSeries, isSampled, mergeRange, toSeries } from './history';

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

describe('toSeries', () => {
  it('sorts by step, keeps the latest value of a repeated step, NaN as a gap', () => {
    const series = toSeries(
      [
        { step: 2, value: 5, timestamp: 1 },
        { step: 1, value: 'NaN', timestamp: 1 },
        { step: 2, value: 7, timestamp: 2 },
      ],
      num,
    );
    expect(series).toEqual([
      { step: 1, value: null },
      { step: 2, value: 7 },
    ]);
  });
});

describe('mergeRange', () => {
  it('replaces the sampled points inside the zoomed range by the full ones', () => {
    const sampled = [0, 10, 20, 30].map((step) => ({ step, value: step }));
    const full = [10, 11, 12, 13, 14, 15].map((step) => ({ step, value: -step }));
    expect(mergeRange(sampled, full, 11, 14).map((p) => p.step)).toEqual([
      0, 10, 11, 12, 13, 14, 20, 30,
    ]);
    expect(mergeRange(sampled, full, 11, 14).find((p) => p.step === 12)?.value).toBe(-12);
  });
});

describe('isSampled', () => {
  it('is true when the server returned as many points as asked for', () => {
    expect(isSampled(1000, 1000)).toBe(true);
    expect(isSampled(999, 1000)).toBe(false);
  });
});

describe('alignSeries', () => {
  it('puts histories on a shared step axis with nulls for missing steps', () => {
    const aligned = alignSeries([
      [{ step: 1, value: 1 }],
      [
        { step: 0, value: 2 },
        { step: 1, value: 3 },
      ],
    ]);
    expect(aligned.x).toEqual([0, 1]);
    expect(aligned.values).toEqual([
      [null, 1],
      [2, 3],
    ]);
  });
});
