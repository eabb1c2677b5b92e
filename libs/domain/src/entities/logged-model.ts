import { KeyValue } from './common';
import { RunMetric } from './run';

export const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

/** MLflow 3.x logged model: a model logged from a run, with its own artifact location. */
export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactLocation: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  status: LoggedModelStatus;
  statusMessage: string | null;
  modelType: string | null;
  sourceRunId: string | null;
  lifecycleStage: 'active' | 'deleted';
  tags: KeyValue[];
  params: KeyValue[];
  /** Every point logged against the model (`logged_model_metrics`), with its source run. */
  metrics: RunMetric[];
}
