import { MlflowError } from './mlflow-error';

/*
 * MLflow's "not found" messages, one copy each: the stores answer them for missing resources and
 * the access check answers the same for resources the caller may not read, so a foreign resource
 * and a missing one cannot be told apart.
 */

export function experimentNotFound(experimentId: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`No Experiment with id=${experimentId} exists`);
}

export function experimentNameNotFound(name: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`Could not find experiment with name '${name}'`);
}

export function runNotFound(runId: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`Run with id=${runId} not found`);
}

export function loggedModelNotFound(modelId: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`Logged model with ID '${modelId}' not found.`);
}

export function traceNotFound(requestId: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`Trace with request_id '${requestId}' not found.`);
}

/** A FLOps project by its experiment id: missing, not a project, or not the caller's. */
export function flopsProjectNotFound(experimentId: string): MlflowError {
  return MlflowError.resourceDoesNotExist(
    `No FLOps project with experiment id=${experimentId} exists`,
  );
}
