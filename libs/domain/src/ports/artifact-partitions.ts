import { ownerOf, Principal } from '../access/principal';

/**
 * Where an experiment's artifacts live inside the artifact store: under a directory of its
 * owner's, so that even a path bug in one service cannot reach another owner's files. An
 * experiment created before tenancy (or with AUTH_MODE=none) has no owner and keeps the flat
 * layout `<experiment_id>/…`, so existing data works unchanged.
 */
export abstract class ArtifactPartitions {
  /** The store directory that `<experimentId>/…` lives under, or null for the flat layout. */
  abstract partitionOf(experimentId: string): Promise<string | null>;
}

/** An owner's directory: never a plain number, so it cannot be read as an experiment id. */
export function ownerPartition(userId: number): string {
  return `owners/${userId}`;
}

const OWNER_PARTITION_PREFIX = /(^|[\s'"/:])owners\/\d+(?:\/|(?=['"\s]|$))/g;

/**
 * A store message as a client may see it: the owners' directories are the server's layout, not
 * part of any path a client sent, and would tell one user another's id.
 */
export function withoutOwnerPartitions(message: string): string {
  return message.replace(OWNER_PARTITION_PREFIX, '$1');
}

/**
 * Where a free artifact path (one naming no run, logged model or trace: see artifactPathScope)
 * lives for this caller: under the caller's own directory when there are users, so one user's
 * `a.txt` is never another's; flat when there are none (AUTH_MODE=none), as in MLflow.
 */
export function freeArtifactLocation(caller: Principal, path: string): string {
  const owner = ownerOf(caller);
  if (owner === null) return path;
  const partition = ownerPartition(owner.userId);
  return path === '' ? partition : `${partition}/${path}`;
}
