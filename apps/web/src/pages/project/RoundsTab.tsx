import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { type FlopsProject, type FlopsRound } from '../../api/flops';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDuration, formatTime, formatValue } from '../../format/format';

interface RoundRow {
  round: FlopsRound;
  /** Set for a cluster-level round, shown under its global round. */
  parent?: FlopsRound;
}

export function metricKeysOf(rounds: readonly FlopsRound[]): string[] {
  const keys = new Set<string>();
  for (const r of rounds) for (const m of r.metrics) keys.add(m.key);
  return [...keys].sort();
}

export function RoundsTab(props: {
  project: FlopsProject;
  rounds: readonly FlopsRound[];
  onEndReached?: () => void;
}) {
  const { project, rounds } = props;
  const experimentId = project.experiment_id;
  const navigate = useNavigate();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (set: ReadonlySet<string>, id: string) => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };
  const rows: RoundRow[] = [];
  for (const round of rounds) {
    rows.push({ round });
    if (expanded.has(round.run_id)) {
      for (const cluster of round.cluster_rounds) rows.push({ round: cluster, parent: round });
    }
  }
  const bestRunId = project.best_round?.run_id;
  const columns: Column<RoundRow>[] = [
    {
      id: 'select',
      header: 'Pick',
      cell: ({ round, parent }) => (
        <input
          type="checkbox"
          aria-label={`Select ${parent ? `cluster round ${round.run_name || round.run_id}` : `round ${round.round}`}`}
          checked={selected.has(round.run_id)}
          onChange={() => setSelected((s) => toggle(s, round.run_id))}
        />
      ),
    },
    {
      id: 'round',
      header: 'Round',
      cell: ({ round, parent }) =>
        parent ? (
          <span className="nested">↳ {round.run_name || `cluster ${round.cycle ?? ''}`}</span>
        ) : (
          <>
            {round.cluster_rounds.length > 0 && (
              <button
                type="button"
                className="expander"
                aria-expanded={expanded.has(round.run_id)}
                aria-label={`Cluster rounds of round ${round.round}`}
                onClick={() => setExpanded((s) => toggle(s, round.run_id))}
              >
                {expanded.has(round.run_id) ? '▾' : '▸'}
              </button>
            )}
            <Link to={`/projects/${encodeURIComponent(experimentId)}/rounds/${round.round}`}>
              {round.round}
            </Link>
          </>
        ),
    },
    { id: 'status', header: 'Status', cell: ({ round }) => round.status },
    { id: 'start', header: 'Start', cell: ({ round }) => formatTime(round.start_time) },
    {
      id: 'duration',
      header: 'Duration',
      numeric: true,
      cell: ({ round }) => formatDuration(round.duration_ms),
    },
    {
      id: 'participants',
      header: 'Selected / succeeded / failed',
      numeric: true,
      cell: ({ round: { aggregation: a } }) =>
        [a.participants_selected, a.participants_succeeded, a.participants_failed]
          .map((n) => (n === undefined ? '—' : String(n)))
          .join(' / '),
    },
    {
      id: 'examples',
      header: 'Examples',
      numeric: true,
      cell: ({ round }) => formatValue(round.aggregation.examples ?? '—'),
    },
    ...metricKeysOf(rounds).map((key): Column<RoundRow> => ({
      id: `metric:${key}`,
      header: key,
      numeric: true,
      cell: ({ round }) => {
        const metric = round.metrics.find((m) => m.key === key);
        return metric ? formatValue(metric.value) : '';
      },
    })),
    {
      id: 'model',
      header: 'Model',
      cell: ({ round }) => (round.carries_model ? <span className="badge">model</span> : ''),
    },
  ];
  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          disabled={selected.size < 2}
          onClick={() => void navigate(`/compare?runs=${[...selected].join(',')}`)}
        >
          Compare selected ({selected.size})
        </button>
      </div>
      <DataTable
        label="Rounds"
        rows={rows}
        columns={columns}
        rowKey={(row) => row.round.run_id}
        rowClass={({ round, parent }) =>
          !parent && round.run_id === bestRunId ? 'best' : undefined
        }
        onEndReached={props.onEndReached}
        empty="No rounds yet."
      />
    </>
  );
}
