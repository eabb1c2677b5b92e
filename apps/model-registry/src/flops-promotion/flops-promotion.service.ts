import { Injectable } from '@nestjs/common';

import {
  artifactPathOfUri,
  ArtifactStore,
  canonicalStage,
  defaultPromotionModelName,
  FLOPS_VERSION_TAGS,
  FlopsProject,
  joinLocation,
  lineageOfTags,
  lineageTags,
  MlflowError,
  ModelRegistryStore,
  ModelStage,
  ModelVersion,
  noTrainedModelError,
  ownerOf,
  Principal,
  PromotedVersion,
  promotedVersionsByExperiment,
  promotionIdentityTags,
  PromotionLineage,
  promotionLineageOf,
  readableBy,
  registeredModelAlreadyExists,
  requireModelVersionNumber,
  validateAliasName,
  validateAliasNotReserved,
  validateArchiveTarget,
  validatePromotionModelName,
} from '@app/domain';
import { AccessChecker } from '@app/http';

import { ModelSourceResolver } from '../model-versions/model-source-resolver';
import { FlopsProjectReader } from './flops-project-reader';

export interface PromoteParams {
  experimentId: string;
  name?: string;
  alias?: string;
  stage?: string;
  archiveExistingVersions?: boolean;
  caller: Principal;
}

export interface Promotion {
  version: ModelVersion;
  /** False when the same model of the project had been promoted before: that version is returned. */
  created: boolean;
  lineage: PromotionLineage;
}

export interface ProjectLineage {
  project: FlopsProject;
  versions: PromotedVersion[];
}

/** Every request field checked, before anything is read. */
interface PromotionRequest {
  name: string | undefined;
  alias: string | undefined;
  stage: ModelStage | undefined;
  archiveExisting: boolean;
}

/**
 * Promotion of a FLOps project's trained model into the registry (issue 12): the model files
 * that a round's run carries (the domain finds that round, `FlopsProject.model`) become a version
 * of a registered model, tagged with the project's lineage. The source goes through the same
 * resolver as `model-versions/create`, so it is checked and stored exactly as a client's would be.
 */
@Injectable()
export class FlopsPromotionService {
  constructor(
    private readonly projects: FlopsProjectReader,
    private readonly store: ModelRegistryStore,
    private readonly sources: ModelSourceResolver,
    private readonly access: AccessChecker,
    private readonly artifacts: ArtifactStore,
  ) {}

  async promote(params: PromoteParams): Promise<Promotion> {
    const request = checkRequest(params);
    const project = await this.projects.get(params.experimentId);
    const lineage = promotionLineageOf(project);
    if (lineage === null || project.model === null) throw noTrainedModelError(project.projectId);
    const name = request.name ?? defaultPromotionModelName(project.projectId);
    const model = project.model;

    let source = joinLocation(model.artifactUri, model.artifactPath);
    if (model.loggedModelId !== undefined) {
      const [location] = await this.store.findLoggedModelLocations([model.loggedModelId]);
      if (!location) throw noTrainedModelError(project.projectId);
      source = location.artifactLocation;
    }
    const sourceRequest = {
      source,
      runId: model.runId,
      modelId: model.loggedModelId ?? '',
      isPrompt: false,
    };
    const resolved = await this.sources.resolve(
      sourceRequest,
      this.sources.parse(sourceRequest),
      params.caller,
    );
    await this.requireModelFiles(resolved.storageLocation, project.projectId);
    await this.ensureRegisteredModel(name, project, params.caller);

    const { version, created } = await this.store.createModelVersionOnce(
      {
        name,
        source,
        storageLocation: resolved.storageLocation,
        runId: resolved.runId,
        runLink: '',
        description: describe(lineage),
        tags: lineageTags(lineage),
        modelId: resolved.modelId,
        userId: null,
      },
      promotionIdentityTags(lineage),
    );
    const number = requireModelVersionNumber(name, version.version);
    if (request.alias !== undefined) {
      await this.store.setRegisteredModelAlias(name, request.alias, number);
    }
    if (request.stage !== undefined) {
      await this.store.transitionModelVersionStage(
        name,
        number,
        request.stage,
        request.archiveExisting,
      );
    }
    const current =
      request.alias !== undefined || request.stage !== undefined
        ? await this.store.getModelVersion(name, number)
        : version;
    return { version: current, created, lineage: lineageOfTags(current.tags) ?? lineage };
  }

  /** The versions promoted from the project that the caller may read, oldest first. */
  async lineage(experimentId: string, caller: Principal): Promise<ProjectLineage> {
    const project = await this.projects.get(experimentId);
    const versions = await this.store.findModelVersionsByTag(
      FLOPS_VERSION_TAGS.experimentId,
      [project.experimentId],
      readableBy(caller),
    );
    const promoted = promotedVersionsByExperiment(versions).get(project.experimentId) ?? [];
    return {
      project,
      versions: promoted.filter((v) => v.lineage.projectId === project.projectId),
    };
  }

  /**
   * The files must be there: a round can record a model (log-model, a logged model) whose upload
   * never finished. A location outside this server's artifact store is taken as recorded.
   */
  private async requireModelFiles(storageLocation: string, projectId: string): Promise<void> {
    const path = artifactPathOfUri(storageLocation);
    if (path === null) return;
    const stat = await this.artifacts.stat(path === '' ? 'MLmodel' : `${path}/MLmodel`);
    if (stat === null || stat.isDir) throw noTrainedModelError(projectId);
  }

  /**
   * The registered model, created for the caller (who then owns it) when missing. An existing
   * one needs the caller's EDIT, as `model-versions/create`; one the caller cannot even read is
   * somebody else's name, answered as `registered-models/create` answers a taken name.
   */
  private async ensureRegisteredModel(
    name: string,
    project: FlopsProject,
    caller: Principal,
  ): Promise<void> {
    try {
      await this.store.createRegisteredModel({
        name,
        tags: [{ key: FLOPS_VERSION_TAGS.projectId, value: project.projectId }],
        description: `Trained models of FLOps project ${project.projectId}.`,
        owner: ownerOf(caller),
      });
      return;
    } catch (error) {
      if (!(error instanceof MlflowError) || error.code !== 'RESOURCE_ALREADY_EXISTS') {
        throw error;
      }
    }
    try {
      await this.access.registeredModel(caller, name, 'update');
    } catch (error) {
      if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST') {
        const taken = registeredModelAlreadyExists(name);
        throw new MlflowError(
          taken.code,
          `${taken.message} It is not yours: pass 'name' to register the project's model under another name.`,
        );
      }
      throw error;
    }
  }
}

function checkRequest(params: PromoteParams): PromotionRequest {
  // An empty alias or stage is an absent one, as the proto reads strings; an empty name is not.
  const alias = params.alias === '' ? undefined : params.alias;
  const requestedStage = params.stage === '' ? undefined : params.stage;
  if (params.name !== undefined) validatePromotionModelName(params.name);
  if (alias !== undefined) {
    validateAliasName(alias);
    validateAliasNotReserved(alias);
  }
  const archiveExisting = params.archiveExistingVersions ?? false;
  let stage: ModelStage | undefined;
  if (requestedStage !== undefined) {
    stage = canonicalStage(requestedStage);
    validateArchiveTarget(requestedStage, stage, archiveExisting);
  } else if (archiveExisting) {
    throw MlflowError.invalidParameterValue(
      "'archive_existing_versions' needs a 'stage' (Staging or Production) to archive the versions of.",
    );
  }
  return { name: params.name, alias, stage, archiveExisting };
}

function describe(lineage: PromotionLineage): string {
  const best =
    lineage.bestRound === null
      ? 'no best round yet'
      : `best round ${lineage.bestRound} (${lineage.objective})`;
  return `Trained model of FLOps project ${lineage.projectId}, from round ${lineage.modelRound}; ${best}.`;
}
