import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigint, boolean, double, integer, varchar } from './column-options';

@Entity('latest_metrics')
@Index('ix_latest_metrics_key_value', ['key', 'value'])
export class LatestMetricEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(bigint('step'))
  step!: number;

  @Column(bigint('timestamp'))
  timestamp!: number;

  @Column(double('value'))
  value!: number;

  @Column(boolean('is_nan'))
  isNan!: boolean;
}
