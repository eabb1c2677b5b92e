import { useQueries } from '@tanstack/react-query';

import { mlflowApi } from '../../api/mlflow';

/** At most this many source runs are looked up for one page of versions. */
const MAX_RUN_LOOKUPS = 100;

/**
 * The experiment of each source run (a run link needs it and a model version has only the run
 * id). Runs the caller may not read, or that were deleted, stay unknown and get no link.
 */
export function useRunExperiments(runIds: readonly (string | undefined)[]): Map<string, string> {
  const distinct = [...new Set(runIds.filter((id): id is string => !!id))].slice(
    0,
    MAX_RUN_LOOKUPS,
  );
  const runs = useQueries({
    queries: distinct.map((runId) => ({
      queryKey: ['run', runId],
      queryFn: ({ signal }: { signal: AbortSignal }) => mlflowApi.getRun(runId, signal),
      retry: false,
      staleTime: 60_000,
    })),
  });
  const experiments = new Map<string, string>();
  runs.forEach((r, i) => {
    if (r.data) experiments.set(distinct[i], r.data.run.info.experiment_id);
  });
  return experiments;
}
