import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';

import { mlflowApi, RegisteredModel } from '../../api/mlflow';
import { Column, DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { formatTime } from '../../format/format';
import { excerpt, latestByStage, modelNameFilter } from '../../transforms/registry';
import { modelPath, versionPath } from './paths';

const PAGE = 100;

export function ModelsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const models = useInfiniteQuery({
    queryKey: ['registry-list', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      mlflowApi.searchRegisteredModels(
        {
          filter: modelNameFilter(q),
          max_results: PAGE,
          order_by: ['name ASC'],
          page_token: pageParam,
        },
        signal,
      ),
    getNextPageParam: (last) => last.next_page_token,
  });
  const rows = useMemo(
    () => models.data?.pages.flatMap((p) => p.registered_models ?? []) ?? [],
    [models.data],
  );
  const columns: Column<RegisteredModel>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: (m) => <Link to={modelPath(m.name)}>{m.name}</Link>,
    },
    {
      id: 'latest',
      header: 'Latest versions',
      cell: (m) => {
        const latest = latestByStage(m.latest_versions ?? []);
        if (latest.length === 0) return <span className="muted">none</span>;
        return (
          <span className="chips">
            {latest.map(({ stage, version }) => (
              <Link key={stage} to={versionPath(m.name, version.version)} className="chip">
                {stage}: v{version.version}
              </Link>
            ))}
          </span>
        );
      },
    },
    {
      id: 'aliases',
      header: 'Aliases',
      cell: (m) =>
        m.aliases && m.aliases.length > 0 ? (
          <span className="chips">
            {m.aliases.map((a) => (
              <span key={a.alias} className="badge">
                @{a.alias} → v{a.version}
              </span>
            ))}
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    { id: 'updated', header: 'Last update', cell: (m) => formatTime(m.last_updated_timestamp) },
    {
      id: 'description',
      header: 'Description',
      cell: (m) => <span className="muted">{excerpt(m.description)}</span>,
    },
  ];
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Registered models</h1>
      <div className="toolbar">
        <label>
          Filter by name
          <input
            type="search"
            value={q}
            placeholder="part of a model name"
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('q', e.target.value);
              else next.delete('q');
              setParams(next, { replace: true });
            }}
          />
        </label>
        {models.data && (
          <span className="muted" role="status">
            {rows.length}
            {models.hasNextPage ? '+' : ''} model{rows.length === 1 ? '' : 's'}
          </span>
        )}
      </div>
      {models.isPending && <Loading what="registered models" />}
      {models.error && <ErrorView error={models.error} what="registered models" />}
      {models.data && (
        <DataTable
          label="Registered models"
          rows={rows}
          columns={columns}
          rowKey={(m) => m.name}
          empty={
            q
              ? `No registered model's name contains “${q}”.`
              : 'No registered models yet: register one from a run or promote a FLOps project.'
          }
          onEndReached={() =>
            models.hasNextPage && !models.isFetchingNextPage && void models.fetchNextPage()
          }
        />
      )}
    </section>
  );
}
