import { Injectable } from '@nestjs/common';

import {
  canonicalStage,
  invalidLocalSourceError,
  isLatestAlias,
  isWithinLocation,
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
  runNotFound,
  tryParseLocation,
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

/** Where a run id or logged model id may appear in an `mlflow-artifacts:` path: a plain segment. */
const ID_SEGMENT = /^[\w-]{1,64}$/;

/**
 * Model version source validation (contract §4.9, security catalogue C). The source is parsed and
 * checked once ({@link parseModelSource}); every location used afterwards is built from the parsed
 * parts or read from the database, never from the raw string. Ids the request references must
 * exist, and the files must lie where those ids say:
 * - `runs:/<id>/<path>` resolves through the run's artifact root;
 * - `models:/<model_id>` resolves to the logged model's artifact location, `models:/<name>/<v>`
 *   and `models:/<name>@<alias>` to that version's storage location;
 * - any other source must lie under the logged model's location (`model_id`) or the run's artifact
 *   root (`run_id`); without either, an `mlflow-artifacts:` source must lie under an existing run
 *   or logged model, a local one is refused, an object-store one is accepted.
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
    const run = request.runId !== '' ? await this.requireRun(request.runId, caller) : null;
    const model =
      request.modelId !== '' ? await this.requireLoggedModel(request.modelId, caller) : null;
    if (source.kind === 'models') return this.resolveModelsUri(request, source, model, caller);

    let storageLocation: string;
    if (source.kind === 'runs') {
      const [runId, ...rest] = source.path.split('/');
      validateRunId(runId);
      const sourceRun = run?.runId === runId ? run : await this.requireRun(runId, caller);
      storageLocation = joinLocation(sourceRun.artifactUri, rest.join('/'));
    } else if (source.kind === 'mlflow-artifacts') {
      storageLocation = `mlflow-artifacts:${source.authority ? `//${source.authority}` : ''}/${source.path}`;
    } else {
      storageLocation = request.source;
    }
    const location = tryParseLocation(storageLocation);

    let roots: string[];
    if (model) roots = [model.artifactLocation];
    else if (run) roots = [run.artifactUri];
    else if (source.kind === 'mlflow-artifacts') roots = await this.ownersOf(source, caller);
    else if (source.kind === 'local') throw invalidLocalSourceError(request.source);
    else roots = [];
    const contained =
      (roots.length === 0 && source.kind !== 'mlflow-artifacts') ||
      (location !== null &&
        roots.some((root) => {
          const parsedRoot = tryParseLocation(root);
          return parsedRoot !== null && isWithinLocation(location, parsedRoot);
        }));
    if (!contained) {
      if (source.kind === 'local') throw invalidLocalSourceError(request.source);
      const owner = model
        ? 'the logged model specified by model_id'
        : run
          ? 'the run specified by run_id'
          : 'an existing run or logged model';
      throw MlflowError.invalidParameterValue(
        `Invalid model version source: '${request.source}'. The source must lie within the artifact directory of ${owner}.`,
      );
    }
    return { storageLocation, runId: request.runId, modelId: model?.modelId ?? null };
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

  /** Runs and logged models whose id is a segment of the path: the candidates owning it. */
  private async ownersOf(source: ModelSource, caller: Principal): Promise<string[]> {
    await this.access.artifactPath(caller, source.path, 'read');
    const ids = [...new Set(source.path.split('/').filter((s) => ID_SEGMENT.test(s)))];
    if (ids.length === 0) return [];
    const [runs, models] = await Promise.all([
      this.store.findRunArtifactRoots(ids),
      this.store.findLoggedModelLocations(ids),
    ]);
    return [...runs.map((r) => r.artifactUri), ...models.map((m) => m.artifactLocation)];
  }

  private async requireRun(runId: string, caller: Principal): Promise<RunArtifactRoot> {
    await this.access.run(caller, runId, 'read');
    const [run] = await this.store.findRunArtifactRoots([runId]);
    if (!run) throw runNotFound(runId);
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
