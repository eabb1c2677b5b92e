import { KeyValue, LifecycleStage } from './common';

/** An MLflow experiment, which FLOps calls a project (see `flops/`). */
export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: KeyValue[];
  /** The user who owns the experiment; null until per-user tenancy is switched on. */
  owner: string | null;
}

export const DEFAULT_EXPERIMENT_NAME = 'Default';
