import { experimentNotFound, isWellFormedExperimentId, MlflowError } from '@app/domain';

import type { SqlRunner } from '../sql-types';
import { str } from './sql-helpers';

/**
 * The database key of a client's experiment id, or undefined when the id can name no experiment:
 * not a well-formed id, or beyond what a JavaScript number holds exactly (auto-increment keys
 * never get there, and binding an inexact number could match a neighbouring row).
 */
export function experimentKey(experimentId: string): number | undefined {
  if (!isWellFormedExperimentId(experimentId)) return undefined;
  const key = Number(experimentId);
  return Number.isSafeInteger(key) ? key : undefined;
}

/** The distinct database keys of the ids that can name an experiment. */
export function experimentKeys(experimentIds: readonly string[]): number[] {
  const keys = new Set<number>();
  for (const id of experimentIds) {
    const key = experimentKey(id);
    if (key !== undefined) keys.add(key);
  }
  return [...keys];
}

/**
 * The artifact location of an active experiment, for a run or logged model created in it. The
 * row is share-locked (on dialects with row locks) so that a concurrent experiment delete, which
 * marks everything in it deleted, waits for the new row.
 */
export async function activeExperimentLocation(
  tx: SqlRunner,
  experimentId: string,
): Promise<string> {
  const key = experimentKey(experimentId);
  const rows =
    key === undefined
      ? []
      : await tx.select(
          `SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = ?${tx.dialect.forShare}`,
          [key],
        );
  if (rows.length === 0) {
    throw experimentNotFound(experimentId);
  }
  const stage = str(rows[0].lifecycle_stage);
  if (stage !== 'active') {
    throw MlflowError.invalidParameterValue(
      `The experiment ${experimentId} must be in the 'active' state. Current state is ${stage}.`,
    );
  }
  return str(rows[0].artifact_location);
}
