import { Injectable } from '@nestjs/common';

import {
  decodePageToken,
  encodePageToken,
  Experiment,
  experimentNameNotFound,
  ExperimentStore,
  KeyValue,
  lastValuePerKey,
  LIMITS,
  MlflowError,
  ownerOf,
  Page,
  parseOrderBy,
  parseSearchFilter,
  Principal,
  readableBy,
  validateExperimentName,
  validateExperimentTag,
  ViewType,
} from '@app/domain';

import { LearnerPrivacyService } from '../learner-privacy/learner-privacy.service';

export interface SearchExperimentsParams {
  maxResults?: number;
  pageToken?: string;
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  caller: Principal;
}

/** Experiments, which FLOps calls projects: MLflow's rules on top of the ExperimentStore port. */
@Injectable()
export class ExperimentsService {
  constructor(
    private readonly experiments: ExperimentStore,
    private readonly privacy: LearnerPrivacyService,
  ) {}

  /** The client-supplied artifact location is ignored on purpose: locations are server-owned. */
  async create(name: string, tags: KeyValue[], caller: Principal): Promise<string> {
    validateExperimentName(name);
    const uniqueTags = lastValuePerKey(tags);
    uniqueTags.forEach(validateExperimentTag);
    this.privacy.check({ tags: uniqueTags });
    return this.experiments.createExperiment({ name, tags: uniqueTags, owner: ownerOf(caller) });
  }

  get(experimentId: string): Promise<Experiment> {
    return this.experiments.getExperiment(experimentId);
  }

  async getByName(name: string): Promise<Experiment> {
    const experiment = await this.experiments.findExperimentByName(name);
    if (!experiment) {
      throw experimentNameNotFound(name);
    }
    return experiment;
  }

  /** MLflow rejects a missing max_results; we default it to 1000, which is what every client sends. */
  async search(params: SearchExperimentsParams): Promise<Page<Experiment>> {
    const maxResults = params.maxResults ?? LIMITS.searchExperimentsDefaultMaxResults;
    if (maxResults <= 0) {
      throw MlflowError.invalidParameterValue(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
      );
    }
    if (maxResults > LIMITS.searchExperimentsMaxResults) {
      throw MlflowError.invalidParameterValue(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchExperimentsMaxResults}`,
      );
    }
    const offset = decodePageToken(params.pageToken);
    const { items, hasMore } = await this.experiments.searchExperiments({
      viewType: params.viewType ?? 'ACTIVE_ONLY',
      filter: parseSearchFilter(params.filter, 'experiments'),
      orderBy: parseOrderBy(params.orderBy, 'experiments'),
      maxResults,
      offset,
      readableBy: readableBy(params.caller),
    });
    return { items, nextPageToken: hasMore ? encodePageToken(offset + maxResults) : undefined };
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    await this.experiments.renameExperiment(experimentId, newName);
  }

  delete(experimentId: string): Promise<void> {
    return this.experiments.deleteExperiment(experimentId);
  }

  restore(experimentId: string): Promise<void> {
    return this.experiments.restoreExperiment(experimentId);
  }

  async setTag(experimentId: string, tag: KeyValue): Promise<void> {
    validateExperimentTag(tag);
    this.privacy.check({ tags: [tag] });
    await this.experiments.setExperimentTag(experimentId, tag);
  }

  deleteTag(experimentId: string, key: string): Promise<void> {
    return this.experiments.deleteExperimentTag(experimentId, key);
  }
}
