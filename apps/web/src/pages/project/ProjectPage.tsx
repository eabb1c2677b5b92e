import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useParams, useSearchParams } from 'react-router';

import { flopsApi } from '../../api/flops';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { ChartsTab, SystemTab } from './ChartsTab';
import { ParamsTab } from './ParamsTab';
import { ProjectHeader, PromotePanel } from './ProjectHeader';
import { metricKeysOf, RoundsTab } from './RoundsTab';

const TABS = [
  { id: 'rounds', label: 'Rounds' },
  { id: 'charts', label: 'Charts' },
  { id: 'system', label: 'System metrics' },
  { id: 'params', label: 'Params' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const ROUNDS_PAGE = 500;

/** A FLOps project: its header, promotion, and tabs (in `?tab=`) over its rounds. */
export function ProjectPage() {
  const { experimentId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: TabId = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'rounds';
  const project = useQuery({
    queryKey: ['flops', 'project', experimentId],
    queryFn: ({ signal }) => flopsApi.getProject(experimentId, signal),
  });
  const rounds = useInfiniteQuery({
    queryKey: ['flops', 'rounds', experimentId],
    queryFn: ({ pageParam, signal }) =>
      flopsApi.listRounds(
        experimentId,
        { max_results: ROUNDS_PAGE, page_token: pageParam || undefined },
        signal,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_page_token || undefined,
  });
  const allRounds = useMemo(
    () => rounds.data?.pages.flatMap((p) => p.rounds ?? []) ?? [],
    [rounds.data],
  );
  const metricKeys = useMemo(() => metricKeysOf(allRounds), [allRounds]);
  if (project.isPending) return <Loading what="project" />;
  if (project.isError) return <ErrorView error={project.error} what="the project" />;
  const p = project.data.project;
  const selectTab = (id: TabId) =>
    setParams((q) => {
      q.set('tab', id);
      return q;
    });
  const fetchMore = () => {
    if (rounds.hasNextPage && !rounds.isFetchingNextPage) void rounds.fetchNextPage();
  };
  return (
    <section>
      <ProjectHeader project={p} />
      <PromotePanel project={p} />
      <div role="tablist" aria-label="Project views" className="tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="project-tabpanel"
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => selectTab(t.id)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const index = TABS.findIndex((x) => x.id === tab);
              const next = TABS[(index + step + TABS.length) % TABS.length];
              selectTab(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="project-tabpanel" aria-labelledby={`tab-${tab}`}>
        {rounds.isError && <ErrorView error={rounds.error} what="the rounds" />}
        {rounds.isPending && tab !== 'system' && <Loading what="rounds" />}
        {tab === 'rounds' && rounds.data && (
          <RoundsTab project={p} rounds={allRounds} onEndReached={fetchMore} />
        )}
        {tab === 'charts' && rounds.data && <ChartsTab project={p} metricKeys={metricKeys} />}
        {tab === 'system' && <SystemTab project={p} />}
        {tab === 'params' && rounds.data && (
          <ParamsTab experimentId={experimentId} rounds={allRounds} />
        )}
      </div>
    </section>
  );
}
