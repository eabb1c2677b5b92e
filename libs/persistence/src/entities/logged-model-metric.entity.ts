import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigint, boolean, double, nullable, varchar } from './column-options';

@Entity('logged_model_metrics')
export class LoggedModelMetricEntity {
  @PrimaryColumn(varchar('model_id', 64))
  modelId!: string;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @PrimaryColumn(bigint('timestamp'))
  timestamp!: number;

  @PrimaryColumn(bigint('step'))
  step!: number;

  @PrimaryColumn(double('value'))
  value!: number;

  @PrimaryColumn(boolean('is_nan'))
  isNan!: boolean;

  @Column(varchar('run_id', 32))
  runId!: string;

  @Column(nullable(varchar('dataset_name', 500)))
  datasetName!: string | null;

  @Column(nullable(varchar('dataset_digest', 36)))
  datasetDigest!: string | null;
}
