import { KeyValue, LifecycleStage } from './common';

/**
 * An MLflow int64 (a client's timestamp or step), exact: a number while it is a safe integer, a
 * bigint beyond 2^53 (MLflow stores and returns 2^53 + 1 as it came).
 */
export type Int64 = number | bigint;

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run's metadata. An MLflow run is a FLOps training round (see `flops/`). */
export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: Int64 | null;
  endTime: Int64 | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/**
 * One metric point. `value` is a JS number: NaN for NaN, and ±Infinity are stored and returned as
 * ±Number.MAX_VALUE (MLflow's SQL store does the same).
 */
export interface Metric {
  key: string;
  value: number;
  timestamp: Int64;
  step: Int64;
  /** MLflow 3.x: the logged model and dataset the point belongs to. */
  modelId?: string | null;
  datasetName?: string | null;
  datasetDigest?: string | null;
}

/** A metric point together with the run it belongs to (bulk history endpoints). */
export interface RunMetric extends Metric {
  runId: string;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string | null;
  profile?: string | null;
}

export interface DatasetInput {
  tags: KeyValue[];
  dataset: Dataset;
}

export interface ModelInput {
  modelId: string;
}

export interface ModelOutput {
  modelId: string;
  step: Int64;
}

export interface RunData {
  /** The latest point per key: the greatest (step, timestamp, value). */
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: { datasetInputs: DatasetInput[]; modelInputs: ModelInput[] };
  outputs: { modelOutputs: ModelOutput[] };
}

/** The tag MLflow keeps in sync with a run's name. */
export const RUN_NAME_TAG = 'mlflow.runName';
export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';
