import { ReadableBy, ResourceOwner } from '../access';
import { Experiment, KeyValue, ViewType } from '../entities';
import { FilterClause, OrderByClause } from '../search/search-types';

export interface CreateExperimentInput {
  name: string;
  tags: KeyValue[];
  /** The creator, written with a MANAGE grant in the create transaction; null: nobody's. */
  owner: ResourceOwner | null;
}

export interface SearchExperimentsQuery {
  viewType: ViewType;
  filter: FilterClause[];
  /** Already completed with MLflow's default order and tiebreaks. */
  orderBy: OrderByClause[];
  maxResults: number;
  offset: number;
  /** Only what this caller may read; null: everything. */
  readableBy: ReadableBy | null;
}

/**
 * Persistence of experiments (FLOps projects). Errors are MlflowErrors with MLflow's codes and
 * messages; "not found" is RESOURCE_DOES_NOT_EXIST "No Experiment with id=<id> exists".
 */
export abstract class ExperimentStore {
  /**
   * Creates an active experiment and returns its id. The artifact location is server-owned:
   * `<default artifact root>/<id>`, assigned by the store in the same transaction.
   * A taken name (deleted experiments included) is RESOURCE_ALREADY_EXISTS
   * "Experiment '<name>' already exists.", also when a concurrent create wins the race.
   */
  abstract createExperiment(input: CreateExperimentInput): Promise<string>;

  /** Active or deleted; RESOURCE_DOES_NOT_EXIST when absent. */
  abstract getExperiment(experimentId: string): Promise<Experiment>;

  /** Active or deleted; null when no experiment has that exact (case-sensitive) name. */
  abstract findExperimentByName(name: string): Promise<Experiment | null>;

  /** One page plus whether more rows follow (the store fetches maxResults + 1). */
  abstract searchExperiments(
    query: SearchExperimentsQuery,
  ): Promise<{ items: Experiment[]; hasMore: boolean }>;

  /** Rename; INVALID_STATE if not active, BAD_REQUEST if the name is taken. */
  abstract renameExperiment(experimentId: string, newName: string): Promise<void>;

  /** Soft-deletes the experiment and all its runs; RESOURCE_DOES_NOT_EXIST if missing or already deleted. */
  abstract deleteExperiment(experimentId: string): Promise<void>;

  /** Restores the experiment and every run in it; RESOURCE_DOES_NOT_EXIST unless it is deleted. */
  abstract restoreExperiment(experimentId: string): Promise<void>;

  /** Upsert; INVALID_PARAMETER_VALUE if the experiment is not active. */
  abstract setExperimentTag(experimentId: string, tag: KeyValue): Promise<void>;

  /** RESOURCE_DOES_NOT_EXIST if the tag is missing; INVALID_PARAMETER_VALUE if not active. */
  abstract deleteExperimentTag(experimentId: string, key: string): Promise<void>;
}
