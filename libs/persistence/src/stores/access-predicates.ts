import { ReadableBy } from '@app/domain';

import { SearchStatement } from './search-builder';

/**
 * Restricts a search to what the caller may read, in SQL and before paging, so pages, tokens and
 * counts say nothing about other users' rows (MLflow filters after the query, or not at all:
 * reference §8). A grant row per (resource, user) is the one source: the creator's MANAGE is
 * one too. Null: an unrestricted caller.
 */
export function requireReadableExperiment(
  search: SearchStatement,
  readableBy: ReadableBy | null,
  experimentColumn: string,
): void {
  if (!readableBy) return;
  search.require(
    `${experimentColumn} IN (SELECT gp.experiment_id FROM experiment_permissions gp WHERE gp.user_id = ? AND gp.permission <> 'NO_PERMISSIONS')`,
    [readableBy.userId],
  );
  if (readableBy.experimentId !== undefined) {
    search.require(`${experimentColumn} = ?`, [Number(readableBy.experimentId)]);
  }
}

/** The same for registered models and their versions; a project-scoped token reads none. */
export function requireReadableRegisteredModel(
  search: SearchStatement,
  readableBy: ReadableBy | null,
  modelColumn: string,
): void {
  if (!readableBy) return;
  if (readableBy.experimentId !== undefined) {
    search.require('1 = 0');
    return;
  }
  search.require(
    `${modelColumn} IN (SELECT gp.registered_model_id FROM registered_model_permissions gp WHERE gp.user_id = ? AND gp.permission <> 'NO_PERMISSIONS')`,
    [readableBy.userId],
  );
}
