import { Injectable } from '@nestjs/common';

import {
  ArtifactPathScope,
  artifactPathScope,
  freeArtifactLocation,
  LoggedModelStore,
  MlflowError,
  Principal,
  RunStore,
  TraceStore,
} from '@app/domain';

/** A client path that passed every check: safe to hand to the ArtifactStore. */
export interface ArtifactTarget {
  /** Where the file lives, relative to the artifacts destination (canonical). */
  path: string;
  scope: ArtifactPathScope;
}

/** What a logged model id may look like before it is looked up (MLflow: `m-<32 hex>`). */
const MODEL_ID = /^[\w-]{1,64}$/;
/** What a trace id may look like before it is looked up (the trace_info key is 50 wide). */
const TRACE_ID = /^[\w-]{1,50}$/;

function invalidPath(): MlflowError {
  return MlflowError.invalidParameterValue('Invalid path');
}

/**
 * Decides whether a client path may reach the store, before any store call, and where it lives
 * there. The path is canonicalised (the bad-input catalogue, security §1.3 A). A path that names
 * a run, logged model or trace (`<experiment_id>/<run_id>[/artifacts/…]`,
 * `<experiment_id>/models/<model_id>[/artifacts/…]`, `<experiment_id>/traces/<id>[/artifacts/…]`)
 * needs that entity to exist in the backend
 * store, in the experiment the path names (RESOURCE_DOES_NOT_EXIST otherwise); the access guard
 * has already checked the caller against that experiment. Any other relative path, as MLflow's
 * proxy serves it, lives in the caller's own namespace ({@link freeArtifactLocation}).
 */
@Injectable()
export class ArtifactAccess {
  constructor(
    private readonly runs: RunStore,
    private readonly models: LoggedModelStore,
    private readonly traces: TraceStore,
  ) {}

  async resolve(rawPath: string, caller: Principal): Promise<ArtifactTarget> {
    const scope = artifactPathScope(rawPath);
    switch (scope.kind) {
      case 'free':
        return { path: freeArtifactLocation(caller, scope.path), scope };
      case 'run':
        await this.requireRun(scope.experimentId, scope.runId);
        break;
      case 'logged-model':
        await this.requireLoggedModel(scope.experimentId, scope.modelId);
        break;
      case 'trace':
        await this.requireTrace(scope.experimentId, scope.traceId);
        break;
    }
    return { path: scope.path, scope };
  }

  /** Like {@link resolve}, for a path that must name a file, not a directory of an entity. */
  async resolveFile(rawPath: string, caller: Principal): Promise<ArtifactTarget> {
    const target = await this.resolve(rawPath, caller);
    const fileName = target.scope.kind === 'free' ? target.scope.path : target.scope.rest;
    if (fileName === '') throw invalidPath();
    return target;
  }

  private async requireRun(experimentId: string, runId: string): Promise<void> {
    const info = await this.runs.getRunInfo(runId);
    if (info.experimentId !== experimentId) {
      throw MlflowError.resourceDoesNotExist(
        `Run with id=${runId} not found in experiment ${experimentId}`,
      );
    }
  }

  private async requireTrace(experimentId: string, traceId: string): Promise<void> {
    if (!TRACE_ID.test(traceId)) throw invalidPath();
    const trace = await this.traces.getTraceInfo(traceId);
    if (trace.experimentId !== experimentId) {
      throw MlflowError.resourceDoesNotExist(
        `Trace with request_id '${traceId}' not found in experiment ${experimentId}.`,
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
