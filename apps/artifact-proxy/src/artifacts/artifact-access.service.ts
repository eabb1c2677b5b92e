import { Injectable } from '@nestjs/common';

import {
  ArtifactPathScope,
  artifactPathScope,
  canonicalArtifactPath,
  LoggedModelStore,
  MlflowError,
  RunStore,
  validateRunId,
} from '@app/domain';

/** A client path that passed every check: safe to hand to the ArtifactStore. */
export interface ArtifactTarget {
  /** Canonical path relative to the artifacts destination. */
  path: string;
  scope: ArtifactPathScope;
}

/** What a logged model id may look like before it is looked up (MLflow: `m-<32 hex>`). */
const MODEL_ID = /^[\w-]{1,64}$/;

function invalidPath(): MlflowError {
  return MlflowError.invalidParameterValue('Invalid path');
}

/**
 * Decides whether a client path may reach the store, before any store call. The path is
 * canonicalised (the bad-input catalogue, security §1.3 A), must lie inside a run's or a logged
 * model's directory (`<experiment_id>/<run_id>[/artifacts/…]`,
 * `<experiment_id>/models/<model_id>[/artifacts/…]`), and that run or model must exist in the
 * backend store and belong to the experiment the path names. The root, an empty path, a bare
 * experiment directory or any other layout is INVALID_PARAMETER_VALUE "Invalid path"; a run or
 * model that does not exist there is RESOURCE_DOES_NOT_EXIST.
 *
 * The experiment is the tenant: per-user access control (the tenancy issue) plugs in here, as a
 * check of the caller against `scope.experimentId`, so every artifact route gets it at once.
 */
@Injectable()
export class ArtifactAccess {
  constructor(
    private readonly runs: RunStore,
    private readonly models: LoggedModelStore,
  ) {}

  async resolve(rawPath: string): Promise<ArtifactTarget> {
    const path = canonicalArtifactPath(rawPath);
    if (path === '') throw invalidPath();
    const scope = artifactPathScope(path);
    if (scope.runId !== undefined) {
      await this.requireRun(scope.experimentId, scope.runId);
    } else if (scope.modelId !== undefined) {
      await this.requireLoggedModel(scope.experimentId, scope.modelId);
    } else {
      throw invalidPath();
    }
    return { path, scope };
  }

  /** Like {@link resolve}, for a path that must name a file below the entity's `artifacts/`. */
  async resolveFile(rawPath: string): Promise<ArtifactTarget> {
    const target = await this.resolve(rawPath);
    if (target.scope.rest === '') throw invalidPath();
    return target;
  }

  private async requireRun(experimentId: string, runId: string): Promise<void> {
    try {
      validateRunId(runId);
    } catch {
      throw invalidPath();
    }
    const info = await this.runs.getRunInfo(runId);
    if (info.experimentId !== experimentId) {
      throw MlflowError.resourceDoesNotExist(
        `Run with id=${runId} not found in experiment ${experimentId}`,
      );
    }
  }

  private async requireLoggedModel(experimentId: string, modelId: string): Promise<void> {
    if (!MODEL_ID.test(modelId)) throw invalidPath();
    const model = await this.models.getLoggedModel(modelId, true);
    if (model.experimentId !== experimentId) {
      throw MlflowError.resourceDoesNotExist(
        `Logged model with ID '${modelId}' not found in experiment ${experimentId}.`,
      );
    }
  }
}
