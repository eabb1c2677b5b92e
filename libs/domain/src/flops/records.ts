import { KeyValue, LifecycleStage, RunStatus } from '../entities';

/*
 * What the FLOps store reads, before any name is interpreted: experiments that may be projects
 * and the runs that may be their rounds, with only the tags, metrics and params the view uses.
 */

export interface FlopsExperimentRecord {
  experimentId: string;
  name: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: KeyValue[];
}

export interface FlopsRunRecord {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  startTime: number | null;
  endTime: number | null;
  artifactUri: string;
  /** Only `flops.*`, `mlflow.parentRunId` and `mlflow.log-model.history`. */
  tags: KeyValue[];
  /** MLflow 3 logged models whose source run this is (active ones). */
  loggedModels: { modelId: string; name: string }[];
}

/** A run's latest point of one key (the latest_metrics row). */
export interface FlopsMetricRecord {
  runId: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface FlopsParamRecord {
  runId: string;
  key: string;
  value: string;
}

/** Mean and max over a run's whole history of one `system/*` key. */
export interface FlopsSystemMetricRecord {
  runId: string;
  key: string;
  mean: number;
  max: number;
  samples: number;
  lastTimestamp: number;
}
