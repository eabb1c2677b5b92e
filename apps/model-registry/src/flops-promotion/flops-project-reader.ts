import { Injectable } from '@nestjs/common';

import { FlopsNaming, FlopsProject, FlopsStore, loadFlopsProject } from '@app/domain';

/**
 * One FLOps project as promotion needs it (its rounds with their latest metrics, best round and
 * trained model), loaded as the tracking view loads it. The access guard has checked the
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
    return (await loadFlopsProject(this.store, this.naming, experimentId)).project;
  }
}
