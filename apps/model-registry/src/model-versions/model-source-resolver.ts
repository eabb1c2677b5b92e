import { Injectable } from '@nestjs/common';

import {
  artifactPathOfUri,
  ArtifactPathScope,
  artifactPathScope,
  canonicalStage,
  invalidLocalSourceError,
  isLatestAlias,
  joinLocation,
  LoggedModelLocation,
  loggedModelNotFound,
  MlflowError,
  ModelRegistryStore,
  ModelSource,
  ModelsUriTarget,
  ModelVersion,
  modelVersionNotFound,
  parseModelSource,
  parseModelsUri,
  Principal,
  PROMPT_PLACEHOLDER_SOURCE,
  requireModelVersionNumber,
  RunArtifactRoot,
  validateRunId,
} from '@app/domain';
import { AccessChecker } from '@app/http';

import { ModelRegistryOptions } from '../model-registry-options';

export interface SourceRequest {
  source: string;
  runId: string;
  modelId: string;
  /** Tagged `mlflow.prompt.is_prompt = true`. */
  isPrompt: boolean;
}

export interface ResolvedSource {
  /** Where the files are: what `get-download-uri` answers. */
  storageLocation: string;
  runId: string;
  modelId: string | null;
}

/**
 * Model version source validation (contract §4.9, security catalogue C), as MLflow accepts
 * sources, with tenancy kept. The source is parsed and checked once ({@link parseModelSource});
 * every location used afterwards is built from the parsed parts or read from the database, never
 * from the raw string. MLflow treats a source as metadata (the registry may sit beside another
 * tracking server), so:
 * - a `run_id` that names no run here is recorded as given; one that names a run here must be
 *   readable by the caller;
 * - `runs:/<id>/<path>` of a run here resolves through the run's artifact root (the run must be
 *   readable); of a run not here it is stored as given;
 * - `models:/<model_id>` resolves to the logged model's artifact location, `models:/<name>/<v>`
 *   and `models:/<name>@<alias>` to that version's storage location, all readable by the caller;
 * - an `mlflow-artifacts:` source is authorised like the same path on the proxy: one naming a
 *   run, logged model or trace needs that entity, in that experiment, readable by the caller;
 *   any other path is the caller's own namespace;
 * - a local source is refused (this server's run roots are never local), with MLflow's message;
 * - any other (object store, http) source is stored as given: `get-download-uri` returns it,
 *   `model-versions/get-artifact` answers that the files are not stored here.
 * A prompt tag turns none of this off (CVE-2026-2614); a prompt may only skip it with MLflow's
 * placeholder source, which names no files (empty storage location).
 */
@Injectable()
export class ModelSourceResolver {
  constructor(
    private readonly store: ModelRegistryStore,
    private readonly options: ModelRegistryOptions,
    private readonly access: AccessChecker,
  ) {}

  /**
   * The pure checks, which run before anything is looked up. Null for a prompt's placeholder
   * source, which names no files.
   */
  parse(request: SourceRequest): ModelSource | null {
    const regex = this.options.modelVersionSourceRegex;
    if (regex && !regex.test(request.source)) {
      throw MlflowError.invalidParameterValue(`Invalid model version source: '${request.source}'.`);
    }
    if (
      request.isPrompt &&
      request.source === PROMPT_PLACEHOLDER_SOURCE &&
      request.runId === '' &&
      request.modelId === ''
    ) {
      return null;
    }
    const source = parseModelSource(request.source);
    if (request.runId !== '') validateRunId(request.runId);
    return source;
  }

  /**
   * Every run, logged model, registered version or artifact path the source names must be
   * readable by the caller (MLflow checks only the target model: reference §10.7), so nobody can
   * register, and then download through `model-versions/get-artifact`, files of another user.
   */
  async resolve(
    request: SourceRequest,
    source: ModelSource | null,
    caller: Principal,
  ): Promise<ResolvedSource> {
    if (source === null) return { storageLocation: '', runId: '', modelId: null };
    if (request.runId !== '') await this.findRun(request.runId, caller);
    const model =
      request.modelId !== '' ? await this.requireLoggedModel(request.modelId, caller) : null;
    const resolved = { runId: request.runId, modelId: model?.modelId ?? null };
    switch (source.kind) {
      case 'models':
        return this.resolveModelsUri(request, source, model, caller);
      case 'runs': {
        const [runId, ...rest] = source.path.split('/');
        validateRunId(runId);
        const run = await this.findRun(runId, caller);
        const storageLocation = run
          ? joinLocation(run.artifactUri, rest.join('/'))
          : request.source;
        return { ...resolved, storageLocation };
      }
      case 'mlflow-artifacts':
        await this.requireReadablePath(request.source, source.path, caller);
        return {
          ...resolved,
          storageLocation: `mlflow-artifacts:${source.authority ? `//${source.authority}` : ''}/${source.path}`,
        };
      case 'local':
        throw invalidLocalSourceError(request.source);
      case 'remote':
        return { ...resolved, storageLocation: request.source };
    }
  }

  private async resolveModelsUri(
    request: SourceRequest,
    source: ModelSource,
    model: LoggedModelLocation | null,
    caller: Principal,
  ): Promise<ResolvedSource> {
    const target = parseModelsUri(request.source, source.path);
    if (target.kind === 'logged-model') {
      const named =
        model?.modelId === target.modelId
          ? model
          : await this.requireLoggedModel(target.modelId, caller);
      if (model && model.modelId !== named.modelId) {
        throw MlflowError.invalidParameterValue(
          `Invalid model version source: '${request.source}'. It names logged model ${named.modelId}, not the model_id ${model.modelId}.`,
        );
      }
      return {
        storageLocation: joinLocation(named.artifactLocation, target.subpath),
        runId: request.runId !== '' ? request.runId : (named.sourceRunId ?? ''),
        modelId: named.modelId,
      };
    }
    await this.access.registeredModel(caller, target.name, 'read');
    const version = await this.registeredVersion(target);
    return {
      storageLocation: version.storageLocation,
      runId: request.runId,
      modelId: model?.modelId ?? null,
    };
  }

  private async registeredVersion(
    target: Exclude<ModelsUriTarget, { kind: 'logged-model' }>,
  ): Promise<ModelVersion> {
    if (target.kind === 'alias') {
      return this.store.getModelVersionByAlias(target.name, target.alias);
    }
    if (/^\d+$/.test(target.version)) {
      return this.store.getModelVersion(
        target.name,
        requireModelVersionNumber(target.name, target.version),
      );
    }
    if (isLatestAlias(target.version)) {
      const latest = await this.store.getLatestModelVersion(target.name);
      if (!latest) throw modelVersionNotFound(target.name, target.version);
      return latest;
    }
    const [latestInStage] = await this.store.getLatestVersions(target.name, [
      canonicalStage(target.version),
    ]);
    if (!latestInStage) throw modelVersionNotFound(target.name, target.version);
    return latestInStage;
  }

  /** The proxy's rule for the same path: an entity it names must exist where it says. */
  private async requireReadablePath(
    rawSource: string,
    path: string,
    caller: Principal,
  ): Promise<void> {
    let scope: ArtifactPathScope;
    try {
      scope = artifactPathScope(path);
    } catch {
      throw MlflowError.invalidParameterValue(
        `Invalid model version source: '${rawSource}'. It is not a path the artifact proxy serves.`,
      );
    }
    await this.access.artifactPath(caller, path, 'read');
    if (scope.kind === 'free') return;
    let root: string | undefined;
    if (scope.kind === 'run') {
      root = (await this.store.findRunArtifactRoots([scope.runId]))[0]?.artifactUri;
    } else if (scope.kind === 'logged-model') {
      root = (await this.store.findLoggedModelLocations([scope.modelId]))[0]?.artifactLocation;
    }
    const rootPath = root === undefined ? null : artifactPathOfUri(root);
    const rootScope = rootPath === null ? null : artifactPathScope(rootPath);
    if (
      rootScope === null ||
      rootScope.kind === 'free' ||
      rootScope.experimentId !== scope.experimentId
    ) {
      throw MlflowError.invalidParameterValue(
        `Invalid model version source: '${rawSource}'. It names no run or logged model of this server.`,
      );
    }
  }

  /** The run if this store has it (the caller must be able to read it), else null. */
  private async findRun(runId: string, caller: Principal): Promise<RunArtifactRoot | null> {
    const [run] = await this.store.findRunArtifactRoots([runId]);
    if (!run) return null;
    await this.access.run(caller, runId, 'read');
    return run;
  }

  private async requireLoggedModel(
    modelId: string,
    caller: Principal,
  ): Promise<LoggedModelLocation> {
    await this.access.loggedModel(caller, modelId, 'read');
    const [model] = await this.store.findLoggedModelLocations([modelId]);
    if (!model) {
      throw loggedModelNotFound(modelId);
    }
    return model;
  }
}
