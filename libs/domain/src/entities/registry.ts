import { KeyValue } from './common';

export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];
/** Stage of a soft-deleted version; never returned to clients. */
export const DELETED_STAGE = 'Deleted_Internal';

export const MODEL_VERSION_STATUSES = [
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string | null;
  currentStage: ModelStage;
  description: string | null;
  source: string;
  /** Where the version's files really are (differs from `source` for `models:/m-…` sources). */
  storageLocation: string;
  runId: string | null;
  runLink: string | null;
  status: ModelVersionStatus;
  statusMessage: string | null;
  tags: KeyValue[];
  aliases: string[];
  modelId: string | null;
}

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string | null;
  latestVersions: ModelVersion[];
  tags: KeyValue[];
  aliases: RegisteredModelAlias[];
  /** The user who owns the model; null until per-user tenancy is switched on. */
  owner: string | null;
}
