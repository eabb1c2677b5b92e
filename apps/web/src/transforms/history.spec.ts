import { isSampled, toSeries } from './history';

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

describe('isSampled', () => {
  it('is true when the server returned as many points as asked for', () => {
    expect(isSampled(1000, 1000)).toBe(true);
    expect(isSampled(999, 1000)).toBe(false);
  });
});
