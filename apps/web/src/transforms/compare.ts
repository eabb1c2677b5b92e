/** A series as the API gives it: values at x positions (e.g. rounds or steps). */
export interface XYSeries {
  readonly label: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

export interface AlignedSeries {
  readonly xs: number[];
  /** One row per input series, aligned to `xs`; null where that series has no point (a gap). */
  readonly ys: (number | null)[][];
  readonly labels: string[];
}

/** Union of every series' x values, sorted; each series placed on it with gaps as null. */
export function alignSeries(series: readonly XYSeries[]): AlignedSeries {
  const xSet = new Set<number>();
  for (const s of series) for (const p of s.points) xSet.add(p.x);
  const xs = [...xSet].sort((a, b) => a - b);
  const indexOfX = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const row: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const p of s.points) row[indexOfX.get(p.x) as number] = p.y;
    return row;
  });
  return { xs, ys, labels: series.map((s) => s.label) };
}

export interface GroupAggregate {
  readonly group: string;
  readonly members: string[];
  readonly mean: (number | null)[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
}

/**
 * Groups aligned series by `groupOf(label)` and, per x, the mean/min/max of the group's
 * finite values (null where no member has a finite value at that x).
 */
export function aggregateByGroup(
  aligned: AlignedSeries,
  groupOf: (label: string) => string,
): GroupAggregate[] {
  const rowsByGroup = new Map<string, number[]>();
  aligned.labels.forEach((label, row) => {
    const group = groupOf(label);
    const rows = rowsByGroup.get(group) ?? [];
    rows.push(row);
    rowsByGroup.set(group, rows);
  });
  return [...rowsByGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, rows]) => {
      const mean: (number | null)[] = [];
      const min: (number | null)[] = [];
      const max: (number | null)[] = [];
      for (let i = 0; i < aligned.xs.length; i++) {
        let sum = 0;
        let count = 0;
        let lo = Infinity;
        let hi = -Infinity;
        for (const row of rows) {
          const y = aligned.ys[row]?.[i];
          if (y === null || y === undefined || !Number.isFinite(y)) continue;
          sum += y;
          count++;
          lo = Math.min(lo, y);
          hi = Math.max(hi, y);
        }
        mean.push(count ? sum / count : null);
        min.push(count ? lo : null);
        max.push(count ? hi : null);
      }
      return { group, members: rows.map((r) => aligned.labels[r]), mean, min, max };
    });
}

export interface DiffRow {
  readonly key: string;
  /** One cell per column; undefined where that column has no value for the key. */
  readonly cells: (string | undefined)[];
  readonly differs: boolean;
}

/**
 * Rows = union of keys (sorted), columns = the given maps; a row differs when its cells are
 * not all equal (a missing value counts as different from a present one).
 */
export function diffMatrix(columns: ReadonlyArray<ReadonlyMap<string, string>>): DiffRow[] {
  const keys = new Set<string>();
  for (const column of columns) for (const key of column.keys()) keys.add(key);
  return [...keys]
    .sort((a, b) => a.localeCompare(b))
    .map((key) => {
      const cells = columns.map((column) => column.get(key));
      const first = cells[0];
      return { key, cells, differs: cells.some((cell) => cell !== first) };
    });
}
