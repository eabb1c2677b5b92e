import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { ApiError } from '../api/client';
import { flopsApi } from '../api/flops';
import { mlflowApi, Run, SearchRunsBody } from '../api/mlflow';
import { Column, DataTable } from '../components/DataTable';
import { ErrorView } from '../components/ErrorView';
import { Loading } from '../components/Loading';
import { formatDuration, formatTime, formatValue } from '../format/format';

const PAGE = 1000;
const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
type ViewType = (typeof VIEW_TYPES)[number];

const list = (text: string | null) => (text ? text.split(',').filter(Boolean) : []);

export function ExperimentPage() {
  const { experimentId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const filter = params.get('filter') ?? '';
  const viewParam = params.get('view') as ViewType | null;
  const view: ViewType = viewParam && VIEW_TYPES.includes(viewParam) ? viewParam : 'ACTIVE_ONLY';
  const order = params.get('order') ?? 'attributes.start_time DESC';
  const metricColumns = list(params.get('metrics'));
  const paramColumns = list(params.get('params'));
  const [draft, setDraft] = useState(filter);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  const experiment = useQuery({
    queryKey: ['experiment', experimentId],
    queryFn: ({ signal }) => mlflowApi.getExperiment(experimentId, signal),
  });
  const project = useQuery({
    queryKey: ['flops-project', experimentId],
    queryFn: ({ signal }) =>
      flopsApi.getProject(experimentId, signal).catch((error: unknown) => {
        if (error instanceof ApiError && error.isNotFound) return null;
        throw error;
      }),
    retry: false,
  });
  const runs = useInfiniteQuery({
    queryKey: ['runs', experimentId, filter, view, order],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const body: SearchRunsBody = {
        experiment_ids: [experimentId],
        filter: filter || undefined,
        run_view_type: view,
        max_results: PAGE,
        order_by: [order],
        page_token: pageParam,
      };
      return mlflowApi.searchRuns(body);
    },
    getNextPageParam: (last) => last.next_page_token || undefined,
  });
  const rows = useMemo(() => runs.data?.pages.flatMap((p) => p.runs ?? []) ?? [], [runs.data]);
  const { metricKeys, paramKeys } = useMemo(() => {
    const m = new Set<string>();
    const p = new Set<string>();
    for (const run of rows.slice(0, 2000)) {
      for (const metric of run.data.metrics ?? []) m.add(metric.key);
      for (const param of run.data.params ?? []) p.add(param.key);
    }
    return { metricKeys: [...m].sort(), paramKeys: [...p].sort() };
  }, [rows]);

  const toggle = (runId: string) =>
    setSelected((prior) => {
      const next = new Set(prior);
      if (next.has(runId)) next.delete(runId);
      else next.add(runId);
      return next;
    });

  const [orderField, orderDirection] = order.split(' ');
  const sortable = (field: string): Pick<Column<Run>, 'sort' | 'onSort'> => ({
    sort: orderField === field ? (orderDirection === 'ASC' ? 'asc' : 'desc') : 'none',
    onSort: () =>
      update({
        order: `${field} ${orderField === field && orderDirection === 'DESC' ? 'ASC' : 'DESC'}`,
      }),
  });
  const columns: Column<Run>[] = [
    {
      id: 'select',
      header: 'Select',
      cell: (r) => (
        <input
          type="checkbox"
          aria-label={`Select ${r.info.run_name ?? r.info.run_id}`}
          checked={selected.has(r.info.run_id)}
          onChange={() => toggle(r.info.run_id)}
        />
      ),
    },
    {
      id: 'name',
      header: 'Run',
      ...sortable('attributes.run_name'),
      cell: (r) => (
        <Link to={`/experiments/${experimentId}/runs/${r.info.run_id}`}>
          {r.info.run_name || r.info.run_id}
        </Link>
      ),
    },
    { id: 'status', header: 'Status', cell: (r) => r.info.status },
    {
      id: 'start',
      header: 'Start',
      ...sortable('attributes.start_time'),
      cell: (r) => formatTime(r.info.start_time),
    },
    {
      id: 'duration',
      header: 'Duration',
      numeric: true,
      cell: (r) =>
        r.info.end_time ? formatDuration(Number(r.info.end_time) - Number(r.info.start_time)) : '—',
    },
    { id: 'user', header: 'User', cell: (r) => r.info.user_id ?? '—' },
    ...metricColumns.map((key): Column<Run> => ({
      id: `m:${key}`,
      header: key,
      numeric: true,
      ...sortable(`metrics.\`${key}\``),
      cell: (r) => formatValue(r.data.metrics?.find((m) => m.key === key)?.value ?? '—'),
    })),
    ...paramColumns.map((key): Column<Run> => ({
      id: `p:${key}`,
      header: key,
      cell: (r) => r.data.params?.find((p) => p.key === key)?.value ?? '—',
    })),
  ];

  const toggleColumn = (which: 'metrics' | 'params', key: string) => {
    const current = which === 'metrics' ? metricColumns : paramColumns;
    const next = current.includes(key) ? current.filter((k) => k !== key) : [...current, key];
    update({ [which]: next.join(',') });
  };

  return (
    <section>
      <h1>{experiment.data?.experiment.name ?? `Experiment ${experimentId}`}</h1>
      {experiment.error && <ErrorView error={experiment.error} what="the experiment" />}
      {project.data && (
        <p role="note">
          This experiment is a FLOps project:{' '}
          <Link to={`/projects/${experimentId}`}>see it as rounds</Link>.
        </p>
      )}
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          update({ filter: draft.trim() });
        }}
      >
        <label>
          Filter{' '}
          <input
            type="search"
            value={draft}
            size={40}
            placeholder="metrics.loss < 0.5 and params.lr = '0.01'"
            onChange={(event) => setDraft(event.target.value)}
          />
        </label>
        <button type="submit">Search</button>
        <label>
          Show{' '}
          <select value={view} onChange={(event) => update({ view: event.target.value })}>
            <option value="ACTIVE_ONLY">Active runs</option>
            <option value="DELETED_ONLY">Deleted runs</option>
            <option value="ALL">All runs</option>
          </select>
        </label>
        <label>
          Order by{' '}
          <select value={order} onChange={(event) => update({ order: event.target.value })}>
            <option value="attributes.start_time DESC">Newest first</option>
            <option value="attributes.start_time ASC">Oldest first</option>
            {metricKeys.flatMap((key) => [
              <option key={`${key}-a`} value={`metrics.\`${key}\` ASC`}>
                {key} ascending
              </option>,
              <option key={`${key}-d`} value={`metrics.\`${key}\` DESC`}>
                {key} descending
              </option>,
            ])}
            {!order.startsWith('attributes.start_time') && !order.startsWith('metrics.') && (
              <option value={order}>{order}</option>
            )}
          </select>
        </label>
        {selected.size >= 2 ? (
          <Link to={`/compare?runs=${[...selected].join(',')}`}>Compare {selected.size} runs</Link>
        ) : (
          <span className="muted">Select two or more runs to compare</span>
        )}
      </form>
      <details className="column-picker">
        <summary>Columns</summary>
        <fieldset className="check-list">
          <legend>Metrics</legend>
          {metricKeys.map((key) => (
            <label key={key}>
              <input
                type="checkbox"
                checked={metricColumns.includes(key)}
                onChange={() => toggleColumn('metrics', key)}
              />{' '}
              {key}
            </label>
          ))}
        </fieldset>
        <fieldset className="check-list">
          <legend>Params</legend>
          {paramKeys.map((key) => (
            <label key={key}>
              <input
                type="checkbox"
                checked={paramColumns.includes(key)}
                onChange={() => toggleColumn('params', key)}
              />{' '}
              {key}
            </label>
          ))}
        </fieldset>
      </details>
      {runs.error ? (
        <ErrorView error={runs.error} what="the runs" />
      ) : runs.isPending ? (
        <Loading what="runs" />
      ) : (
        <>
          <p className="muted">
            {rows.length} runs{runs.hasNextPage ? ' loaded, more as you scroll' : ''}
          </p>
          <DataTable
            label="Runs"
            rows={rows}
            columns={columns}
            rowKey={(r) => r.info.run_id}
            height={640}
            empty="No runs match."
            onEndReached={() => {
              if (runs.hasNextPage && !runs.isFetchingNextPage) void runs.fetchNextPage();
            }}
          />
        </>
      )}
    </section>
  );
}
