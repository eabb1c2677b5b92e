import { Injectable } from '@nestjs/common';

import {
  assembleProject,
  FlopsNaming,
  FlopsProject,
  flopsProjectNotFound,
  FlopsStore,
  validateProjectKey,
} from '@app/domain';

/**
 * One FLOps project as promotion needs it (its rounds with their latest metrics, best round and
 * trained model), in three reads however many rounds it has. The access guard has checked the
 * caller's read on the experiment already.
 */
@Injectable()
export class FlopsProjectReader {
  constructor(
    private readonly store: FlopsStore,
    private readonly naming: FlopsNaming,
  ) {}

  /** RESOURCE_DOES_NOT_EXIST when the experiment is missing, deleted or not a FLOps project. */
  async get(experimentId: string): Promise<FlopsProject> {
    // The guard checks it too, but not for unrestricted callers.
    validateProjectKey(experimentId);
    const experiment = await this.store.getExperiment(experimentId);
    if (!experiment || experiment.lifecycleStage !== 'active') {
      throw flopsProjectNotFound(experimentId);
    }
    const selection = { experimentIds: [experiment.experimentId] };
    const [runs, metrics] = await Promise.all([
      this.store.findRuns(selection.experimentIds),
      this.store.latestMetrics(selection),
    ]);
    const project = assembleProject(experiment, runs, this.naming, { metrics });
    if (!project) throw flopsProjectNotFound(experimentId);
    return project;
  }
}
