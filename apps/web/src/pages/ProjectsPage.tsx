import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';

import { flopsApi, FlopsProject } from '../api/flops';
import { Experiment, mlflowApi } from '../api/mlflow';
import { Column, DataTable } from '../components/DataTable';
import { ErrorView } from '../components/ErrorView';
import { Loading } from '../components/Loading';
import { formatTime, formatValue } from '../format/format';

const PAGE = 200;
const STATES = ['', 'active', 'finished', 'failed'] as const;

function stateBadge(state: string) {
  const tone = state === 'finished' ? 'ok' : state === 'failed' ? 'danger' : 'warn';
  return <span className={`badge ${tone}`}>{state}</span>;
}

/** MLflow's search filter grammar quotes with single quotes; a quote in the text is doubled. */
function nameFilter(text: string): string | undefined {
  return text ? `name LIKE '%${text.replace(/'/g, "''")}%'` : undefined;
}

export function ProjectsPage() {
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'experiments' ? 'experiments' : 'projects';
  const q = params.get('q') ?? '';
  const state = params.get('state') ?? '';
  const order = params.get('order') ?? 'last_activity_time DESC';
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  const projects = useInfiniteQuery({
    queryKey: ['flops-projects', q, state, order],
    enabled: view === 'projects',
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      flopsApi.listProjects(
        {
          name: q || undefined,
          state: state || undefined,
          order_by: order,
          max_results: PAGE,
          page_token: pageParam,
        },
        signal,
      ),
    getNextPageParam: (last) => last.next_page_token,
  });
  const experiments = useInfiniteQuery({
    queryKey: ['experiments', q],
    enabled: view === 'experiments',
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      mlflowApi.searchExperiments({
        max_results: PAGE,
        filter: nameFilter(q),
        order_by: ['last_update_time DESC'],
        page_token: pageParam,
      }),
    getNextPageParam: (last) => last.next_page_token,
  });

  const projectRows = useMemo(
    () => projects.data?.pages.flatMap((p) => p.projects ?? []) ?? [],
    [projects.data],
  );
  const experimentRows = useMemo(
    () => experiments.data?.pages.flatMap((p) => p.experiments ?? []) ?? [],
    [experiments.data],
  );

  const [orderField, orderDirection] = order.split(' ');
  const sortable = (field: string): Pick<Column<FlopsProject>, 'sort' | 'onSort'> => ({
    sort: orderField === field ? (orderDirection === 'ASC' ? 'asc' : 'desc') : 'none',
    onSort: () =>
      update({
        order: `${field} ${orderField === field && orderDirection === 'DESC' ? 'ASC' : 'DESC'}`,
      }),
  });

  const projectColumns: Column<FlopsProject>[] = [
    {
      id: 'project',
      header: 'Project',
      ...sortable('project_id'),
      cell: (p) => <Link to={`/projects/${p.experiment_id}`}>{p.project_id}</Link>,
    },
    { id: 'state', header: 'State', cell: (p) => stateBadge(p.state) },
    { id: 'rounds', header: 'Rounds', numeric: true, ...sortable('rounds'), cell: (p) => p.rounds },
    {
      id: 'best',
      header: 'Best round',
      cell: (p) =>
        p.best_round ? (
          <span>
            #{p.best_round.round}{' '}
            <span className="muted">
              {p.best_round.metrics
                .filter((m) => !m.key.startsWith('system/'))
                .slice(0, 3)
                .map((m) => `${m.key} ${formatValue(m.value)}`)
                .join(' · ')}
            </span>
          </span>
        ) : (
          '—'
        ),
    },
    {
      id: 'model',
      header: 'Trained model',
      cell: (p) =>
        p.registered_version ? (
          <Link
            to={`/models/${encodeURIComponent(p.registered_version.name)}/versions/${p.registered_version.version}`}
          >
            {p.registered_version.name} v{p.registered_version.version}
          </Link>
        ) : p.model_uploaded ? (
          'uploaded'
        ) : (
          '—'
        ),
    },
    {
      id: 'activity',
      header: 'Last update',
      ...sortable('last_activity_time'),
      cell: (p) => formatTime(p.last_activity_time),
    },
  ];
  const experimentColumns: Column<Experiment>[] = [
    {
      id: 'name',
      header: 'Experiment',
      cell: (e) => <Link to={`/experiments/${e.experiment_id}`}>{e.name}</Link>,
    },
    { id: 'id', header: 'ID', numeric: true, cell: (e) => e.experiment_id },
    { id: 'updated', header: 'Last update', cell: (e) => formatTime(e.last_update_time) },
    { id: 'created', header: 'Created', cell: (e) => formatTime(e.creation_time) },
  ];

  const active = view === 'projects' ? projects : experiments;
  return (
    <section aria-labelledby="projects-title">
      <h1 id="projects-title">{view === 'projects' ? 'FLOps projects' : 'Experiments'}</h1>
      <div className="tabs" role="tablist" aria-label="What to list">
        {(['projects', 'experiments'] as const).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            onClick={() => update({ view: v === 'projects' ? '' : v })}
          >
            {v === 'projects' ? 'FLOps projects' : 'All experiments'}
          </button>
        ))}
      </div>
      <div className="toolbar">
        <label>
          Search by name
          <input
            type="search"
            value={q}
            onChange={(e) => update({ q: e.target.value })}
            placeholder="project id or name"
          />
        </label>
        {view === 'projects' && (
          <label>
            State
            <select value={state} onChange={(e) => update({ state: e.target.value })}>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s || 'any'}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {active.isPending && <Loading what={view} />}
      {active.error && <ErrorView error={active.error} what={view} />}
      {view === 'projects' && projects.data && (
        <DataTable
          label="FLOps projects"
          rows={projectRows}
          columns={projectColumns}
          rowKey={(p) => p.experiment_id}
          empty="No FLOps projects yet: they appear when an aggregator logs its first round."
          onEndReached={() =>
            projects.hasNextPage && !projects.isFetchingNextPage && void projects.fetchNextPage()
          }
        />
      )}
      {view === 'experiments' && experiments.data && (
        <DataTable
          label="Experiments"
          rows={experimentRows}
          columns={experimentColumns}
          rowKey={(e) => e.experiment_id}
          onEndReached={() =>
            experiments.hasNextPage &&
            !experiments.isFetchingNextPage &&
            void experiments.fetchNextPage()
          }
        />
      )}
    </section>
  );
}
