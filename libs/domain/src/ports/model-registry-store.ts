import { ReadableBy, ResourceOwner } from '../access';
import { KeyValue, ModelStage, ModelVersion, RegisteredModel } from '../entities';
import { FilterClause, OrderByClause } from '../search/search-types';

export interface CreateRegisteredModelInput {
  name: string;
  /** Unique keys (the service keeps the last value per key). */
  tags: KeyValue[];
  description: string;
  /** The creator, written with a MANAGE grant in the create transaction; null: nobody's. */
  owner: ResourceOwner | null;
}

export interface CreateModelVersionInput {
  name: string;
  /** The source as the client sent it (already validated). */
  source: string;
  /** Where the files really are: what `get-download-uri` answers. */
  storageLocation: string;
  runId: string;
  runLink: string;
  description: string;
  /** Unique keys. */
  tags: KeyValue[];
  modelId: string | null;
  userId: string | null;
}

export interface SearchRegistryQuery {
  filter: FilterClause[];
  /** Already completed with MLflow's default order and tiebreaks. */
  orderBy: OrderByClause[];
  maxResults: number;
  offset: number;
  /** Include prompts (models tagged `mlflow.prompt.is_prompt=true`); MLflow hides them unless asked. */
  includePrompts: boolean;
  /** Only models (and their versions) this caller may read; null: everything. */
  readableBy: ReadableBy | null;
}

/** A run as source validation needs it (read straight from the tracking tables). */
export interface RunArtifactRoot {
  runId: string;
  artifactUri: string;
}

/** A logged model (MLflow 3.x) as source resolution needs it. */
export interface LoggedModelLocation {
  modelId: string;
  artifactLocation: string;
  sourceRunId: string | null;
}

/**
 * Persistence of the model registry: registered models, their versions, tags and aliases
 * (MLflow's `model_registry/abstract_store.py`). Names are exact, case-sensitive strings. Versions
 * are numbers here and decimal strings on the wire.
 *
 * Errors are MlflowErrors with MLflow's codes and messages, raised before anything is written:
 * - a missing model is RESOURCE_DOES_NOT_EXIST "Registered Model with name=<n> not found";
 * - a missing or soft-deleted version is RESOURCE_DOES_NOT_EXIST
 *   "Model Version (name=<n>, version=<v>) not found" (also when the model itself is missing);
 * - a taken name is RESOURCE_ALREADY_EXISTS "Registered Model (name=<n>) already exists.",
 *   also when a concurrent writer wins the race.
 *
 * Versions returned carry their tags (sorted by key) and the aliases pointing at them (sorted);
 * models carry their tags, aliases (sorted by alias) and latest versions. Timestamps follow MLflow:
 * creating a version bumps the model; renaming bumps the model and every version; a transition
 * bumps the version, the model and every version it archives; deleting a version bumps the model;
 * description updates bump only what they update; tags and aliases bump nothing.
 */
export abstract class ModelRegistryStore {
  /** Creates the model with `creation_time = last_updated_time = now` and its tags. */
  abstract createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel>;

  abstract getRegisteredModel(name: string): Promise<RegisteredModel>;

  /** RESOURCE_DOES_NOT_EXIST unless the model exists; reads nothing else. */
  abstract assertRegisteredModelExists(name: string): Promise<void>;

  /** Renames the model (its versions follow: they belong to the model, not to its name). */
  abstract renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;

  abstract updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;

  /** Hard delete of the model, every version (soft-deleted ones too), tags and aliases. */
  abstract deleteRegisteredModel(name: string): Promise<void>;

  /** One page, each model complete (no N+1), plus whether more rows follow (fetches max + 1). */
  abstract searchRegisteredModels(
    query: SearchRegistryQuery,
  ): Promise<{ items: RegisteredModel[]; hasMore: boolean }>;

  /**
   * The highest-numbered live version in each stage, restricted to `stages` (canonical) when
   * given, ordered like MLflow's `latest_versions`: by the lowest version number in each stage.
   */
  abstract getLatestVersions(name: string, stages: ModelStage[] | null): Promise<ModelVersion[]>;

  /** Upsert; the model must exist. */
  abstract setRegisteredModelTag(name: string, tag: KeyValue): Promise<void>;

  /** The model must exist; a missing key is a no-op. */
  abstract deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  /**
   * Creates version max+1 of the model (soft-deleted versions count; numbers are never reused),
   * READY in stage None. The number comes from the model row's `next_version` counter, bumped
   * under the row lock in the creating transaction, so concurrent creators (in any number of
   * processes) get distinct consecutive numbers.
   */
  abstract createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion>;

  /**
   * {@link createModelVersion}, unless a live version of the model already has `input.source`
   * and every tag of `match` (same key, same value): then that version, unchanged, with
   * `created: false` (the lowest-numbered one if several do). Decided under the model row's lock
   * in the creating transaction, so concurrent identical calls (in any number of processes)
   * leave exactly one version. RESOURCE_DOES_NOT_EXIST when the model is missing.
   */
  abstract createModelVersionOnce(
    input: CreateModelVersionInput,
    match: KeyValue[],
  ): Promise<{ version: ModelVersion; created: boolean }>;

  /** A live version. */
  abstract getModelVersion(name: string, version: number): Promise<ModelVersion>;

  abstract updateModelVersion(
    name: string,
    version: number,
    description: string,
  ): Promise<ModelVersion>;

  /**
   * Moves the version to `stage`. With `archiveExisting`, every other live version in `stage`
   * becomes Archived in the same transaction, serialised per model, so concurrent archiving
   * transitions leave at most one version in the target stage.
   */
  abstract transitionModelVersionStage(
    name: string,
    version: number,
    stage: ModelStage,
    archiveExisting: boolean,
  ): Promise<ModelVersion>;

  /**
   * Soft delete (stage Deleted_Internal; source, run id and link redacted, tags dropped): the
   * version disappears from every read, its number is not reused, its aliases are deleted.
   */
  abstract deleteModelVersion(name: string, version: number): Promise<void>;

  /** One page of live versions with tags and aliases (no N+1), plus whether more follow. */
  abstract searchModelVersions(
    query: SearchRegistryQuery,
  ): Promise<{ items: ModelVersion[]; hasMore: boolean }>;

  /**
   * Every live version with the tag `key` set to one of `values` (with its tags and aliases), of
   * models the caller may read (`readableBy`; null: all), ordered by creation time, model name
   * and number. A fixed number of statements however many values and versions: what the FLOps
   * view asks for a page of projects (`flops.experiment_id` ∈ the page's experiments).
   */
  abstract findModelVersionsByTag(
    key: string,
    values: string[],
    readableBy: ReadableBy | null,
  ): Promise<ModelVersion[]>;

  /** Upsert; the version must be live. */
  abstract setModelVersionTag(name: string, version: number, tag: KeyValue): Promise<void>;

  /** The version must be live; a missing key is a no-op. */
  abstract deleteModelVersionTag(name: string, version: number, key: string): Promise<void>;

  /** Upsert: an existing alias moves to `version`, which must be live. */
  abstract setRegisteredModelAlias(name: string, alias: string, version: number): Promise<void>;

  /** The model must exist; a missing alias is a no-op. */
  abstract deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;

  /**
   * The version an alias points at. An unknown alias (or model) is INVALID_PARAMETER_VALUE
   * "Registered model alias <a> not found." (400, not 404, as in MLflow).
   */
  abstract getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;

  /** The highest-numbered live version of the model, or null when it has none. */
  abstract getLatestModelVersion(name: string): Promise<ModelVersion | null>;

  /** Artifact roots of the runs (by MLflow run id) that exist, deleted runs included. */
  abstract findRunArtifactRoots(runIds: string[]): Promise<RunArtifactRoot[]>;

  /** Artifact locations of the logged models that exist. */
  abstract findLoggedModelLocations(modelIds: string[]): Promise<LoggedModelLocation[]>;
}
