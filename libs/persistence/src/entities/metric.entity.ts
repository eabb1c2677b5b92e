import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigint, boolean, double, integer, nullable, varchar } from './column-options';

@Entity('metrics')
@Index('ix_metrics_run_key_step', ['runId', 'key', 'step'])
export class MetricEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

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

  @Column(nullable(varchar('model_id', 64)))
  modelId!: string | null;

  @Column(nullable(varchar('dataset_name', 500)))
  datasetName!: string | null;

  @Column(nullable(varchar('dataset_digest', 36)))
  datasetDigest!: string | null;
}
