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
