import { flopsProjectNotFound } from '../errors';
import { FlopsStore } from '../ports/flops-store';
import { validateProjectKey } from './identifiers';
import { FlopsNaming } from './naming';
import { assembleProject, FlopsProject, RoundData } from './project-view';
import { FlopsExperimentRecord, FlopsRunRecord } from './records';

export interface LoadedFlopsProject {
  project: FlopsProject;
  record: FlopsExperimentRecord;
  runs: FlopsRunRecord[];
}

/**
 * One active project with its rounds and, with `metrics`, every round's latest metrics (so its
 * best round), in a fixed number of reads. The id is checked first (INVALID_PARAMETER_VALUE);
 * a missing or deleted experiment, or one that is no project, is the project's own
 * RESOURCE_DOES_NOT_EXIST. Access is the caller's to check (the guard's `project` ref).
 */
export async function loadFlopsProject(
  store: FlopsStore,
  naming: FlopsNaming,
  experimentId: string,
  read: { metrics?: boolean } = { metrics: true },
): Promise<LoadedFlopsProject> {
  validateProjectKey(experimentId);
  const record = await store.getExperiment(experimentId);
  if (!record || record.lifecycleStage !== 'active') throw flopsProjectNotFound(experimentId);
  const [runs, metrics] = await Promise.all([
    store.findRuns([experimentId]),
    read.metrics ? store.latestMetrics({ experimentIds: [experimentId] }) : Promise.resolve([]),
  ]);
  const data: RoundData = read.metrics ? { metrics } : {};
  const project = assembleProject(record, runs, naming, data);
  if (!project) throw flopsProjectNotFound(experimentId);
  return { project, record, runs };
}
