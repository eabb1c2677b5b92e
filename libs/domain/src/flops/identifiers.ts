import { MlflowError } from '../errors';
import { isWellFormedExperimentId } from '../rules';
import { MAX_FLOPS_PROJECT_ID_LENGTH, MAX_FLOPS_ROUND, parseRoundNumber } from './naming';

/** A project is addressed by its experiment id; anything but digits is refused before lookup. */
export function validateProjectKey(experimentId: string, parameter = 'experiment_id'): void {
  if (!isWellFormedExperimentId(experimentId)) {
    throw MlflowError.invalidParameterValue(
      `Invalid value '${experimentId.slice(0, 100)}' for parameter '${parameter}': a FLOps project is addressed by its experiment id (digits).`,
    );
  }
}

const FLOPS_PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A FLOps project id the explicit API accepts (an Oakestra application id is 24 hex digits). */
export function validateFlopsProjectId(projectId: string): void {
  if (projectId.length > MAX_FLOPS_PROJECT_ID_LENGTH || !FLOPS_PROJECT_ID.test(projectId)) {
    throw MlflowError.invalidParameterValue(
      `Invalid value '${projectId.slice(0, 100)}' for parameter 'project_id': expected 1 to ${MAX_FLOPS_PROJECT_ID_LENGTH} letters, digits, '_', '.' or '-', starting with a letter or digit.`,
    );
  }
}

/** A round number of a URL path: 1 to 2^31 - 1 in decimal digits. */
export function parseRoundParameter(text: string, parameter = 'round'): number {
  const round = parseRoundNumber(text);
  if (round === null || round < 1) {
    throw MlflowError.invalidParameterValue(
      `Invalid value '${text.slice(0, 100)}' for parameter '${parameter}': expected a round number from 1 to ${MAX_FLOPS_ROUND}.`,
    );
  }
  return round;
}
