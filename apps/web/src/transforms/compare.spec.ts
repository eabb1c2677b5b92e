import { aggregateByGroup, alignSeries, diffMatrix } from './compare';

describe('alignSeries', () => {
  it('takes the union of x values and leaves gaps as null', () => {
    const aligned = alignSeries([
      {
        label: 'a',
        points: [
          { x: 1, y: 10 },
          { x: 3, y: 30 },
        ],
      },
      {
        label: 'b',
        points: [
          { x: 2, y: 2 },
          { x: 3, y: 3 },
        ],
      },
    ]);
    expect(aligned.xs).toEqual([1, 2, 3]);
    expect(aligned.ys).toEqual([
      [10, null, 30],
      [null, 2, 3],
    ]);
    expect(aligned.labels).toEqual(['a', 'b']);
  });

  it('sorts x numerically, not as strings', () => {
    const aligned = alignSeries([
      {
        label: 'a',
        points: [
          { x: 10, y: 1 },
          { x: 9, y: 2 },
        ],
      },
    ]);
    expect(aligned.xs).toEqual([9, 10]);
    expect(aligned.ys).toEqual([[2, 1]]);
  });
});

describe('aggregateByGroup', () => {
  const aligned = alignSeries([
    {
      label: 'p1',
      points: [
        { x: 0, y: 1 },
        { x: 1, y: 4 },
      ],
    },
    { label: 'p2', points: [{ x: 0, y: 3 }] },
    {
      label: 'p3',
      points: [
        { x: 0, y: Number.NaN },
        { x: 1, y: 7 },
      ],
    },
  ]);
  const strategy: Record<string, string> = { p1: 'fedavg', p2: 'fedavg', p3: 'fedprox' };

  it('gives mean, min and max per x over each group, skipping gaps and non-finite values', () => {
    const groups = aggregateByGroup(aligned, (label) => strategy[label] ?? '');
    expect(groups.map((g) => g.group)).toEqual(['fedavg', 'fedprox']);
    expect(groups[0]).toEqual({
      group: 'fedavg',
      members: ['p1', 'p2'],
      mean: [2, 4],
      min: [1, 4],
      max: [3, 4],
    });
    expect(groups[1]).toEqual({
      group: 'fedprox',
      members: ['p3'],
      mean: [null, 7],
      min: [null, 7],
      max: [null, 7],
    });
  });
});

describe('diffMatrix', () => {
  it('marks rows whose cells differ, including a missing cell', () => {
    const rows = diffMatrix([
      new Map([
        ['lr', '0.1'],
        ['strategy', 'fedavg'],
      ]),
      new Map([
        ['lr', '0.01'],
        ['strategy', 'fedavg'],
        ['mu', '0.5'],
      ]),
    ]);
    expect(rows).toEqual([
      { key: 'lr', cells: ['0.1', '0.01'], differs: true },
      { key: 'mu', cells: [undefined, '0.5'], differs: true },
      { key: 'strategy', cells: ['fedavg', 'fedavg'], differs: false },
    ]);
  });

  it('has no differing rows for a single column', () => {
    expect(diffMatrix([new Map([['a', '1']])])).toEqual([
      { key: 'a', cells: ['1'], differs: false },
    ]);
  });
});
