import { FlopsProject, FlopsRound } from './project-view';
import { ROUND_AGGREGATION_TAGS, RoundAggregation } from './tags';

/** A cell a spreadsheet would run as a formula starts with one of these (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-looking text prefixed with `'`, quoted when it holds `,`, `"` or a newline. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isNaN(value) ? 'NaN' : String(value)) : value;
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const AGGREGATION_FIELDS = Object.keys(ROUND_AGGREGATION_TAGS) as (keyof RoundAggregation)[];

/**
 * The columns of a project's rounds export: fixed round columns, then `metric.<key>`,
 * `param.<key>`, the aggregation fields and `<system key>.mean|max`, each sorted, over every
 * top-level round.
 */
export function exportColumns(project: FlopsProject): string[] {
  const metrics = new Set<string>();
  const params = new Set<string>();
  const system = new Set<string>();
  for (const round of project.rounds) {
    round.metrics.forEach((m) => metrics.add(m.key));
    round.params.forEach((p) => params.add(p.key));
    round.systemMetrics.forEach((s) => system.add(s.key));
  }
  return [
    'round',
    'run_id',
    'status',
    'start_time',
    'end_time',
    'duration_ms',
    'best',
    'carries_model',
    ...[...metrics].sort().map((k) => `metric.${k}`),
    ...[...params].sort().map((k) => `param.${k}`),
    ...AGGREGATION_FIELDS.map((f) => `aggregation.${f}`),
    ...[...system].sort().flatMap((k) => [`${k}.mean`, `${k}.max`]),
  ];
}

/** One row per top-level round, in round order, as cell values keyed by column. */
export function exportRow(
  project: FlopsProject,
  round: FlopsRound,
): Record<string, string | number | boolean | null> {
  const row: Record<string, string | number | boolean | null> = {
    round: round.round,
    run_id: round.runId,
    status: round.status,
    start_time: round.startTime,
    end_time: round.endTime,
    duration_ms: round.durationMs,
    best: project.bestRound?.runId === round.runId,
    carries_model: round.carriesModel,
  };
  round.metrics.forEach((m) => (row[`metric.${m.key}`] = m.value));
  round.params.forEach((p) => (row[`param.${p.key}`] = p.value));
  for (const field of AGGREGATION_FIELDS) {
    row[`aggregation.${field}`] = round.aggregation[field] ?? null;
  }
  round.systemMetrics.forEach((s) => {
    row[`${s.key}.mean`] = s.mean;
    row[`${s.key}.max`] = s.max;
  });
  return row;
}

/** The whole export as CSV text (a project has at most some thousand rounds). */
export function roundsCsv(project: FlopsProject): string {
  const columns = exportColumns(project);
  const lines = [columns.map(csvCell).join(',')];
  for (const round of project.rounds) {
    const row = exportRow(project, round);
    lines.push(
      columns
        .map((c) => {
          const v = row[c];
          return csvCell(typeof v === 'boolean' ? String(v) : v);
        })
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
