import { Experiment } from './entities/experiment';
import { Run } from './entities/run';

/**
 * FLOps speaks of projects and training rounds; MLflow of experiments and runs. The mapping is
 * one-to-one and lives here only:
 * - a FLOps project is an MLflow experiment, named "FLOps Project <flops_project_id>" by the
 *   aggregator, and identified on the wire by its experiment id;
 * - a FLOps training round (or, in hierarchical mode, a training cycle) is an MLflow run, named
 *   "FLOps FL round <r>"; the final round's run carries the trained global model.
 */
/** @public The FLOps view (issue: the FLOps view) builds on these. */
export type FlopsProject = Experiment;
/** @public */
export type TrainingRound = Run;

/** @public */
export const FLOPS_VOCABULARY = {
  project: 'experiment',
  trainingRound: 'run',
} as const;

const FLOPS_PROJECT_PREFIX = 'FLOps Project ';
const FLOPS_ROUND_PREFIX = 'FLOps FL round ';

/** @public The FLOps project id of an experiment created by the FLOps aggregator, if it is one. */
export function flopsProjectIdOf(experiment: Pick<Experiment, 'name'>): string | null {
  return experiment.name.startsWith(FLOPS_PROJECT_PREFIX)
    ? experiment.name.slice(FLOPS_PROJECT_PREFIX.length)
    : null;
}

/** @public The round number of a run created by the FLOps aggregator, if it is one. */
export function flopsRoundOf(runName: string): number | null {
  if (!runName.startsWith(FLOPS_ROUND_PREFIX)) return null;
  const round = Number(runName.slice(FLOPS_ROUND_PREFIX.length));
  return Number.isInteger(round) ? round : null;
}
