import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigint, integer, nullable, text, varchar } from './column-options';

@Entity('logged_models')
@Index('ix_logged_models_experiment', ['experimentId'])
export class LoggedModelEntity {
  @PrimaryColumn(varchar('model_id', 64))
  modelId!: string;

  @Column(integer('experiment_id'))
  experimentId!: number;

  @Column(varchar('name', 500))
  name!: string;

  @Column(varchar('artifact_location', 1000))
  artifactLocation!: string;

  @Column(bigint('creation_timestamp_ms'))
  creationTimestampMs!: number;

  @Column(bigint('last_updated_timestamp_ms'))
  lastUpdatedTimestampMs!: number;

  @Column(varchar('status', 40))
  status!: string;

  @Column(nullable(text('status_message')))
  statusMessage!: string | null;

  @Column(nullable(varchar('model_type', 500)))
  modelType!: string | null;

  @Column(nullable(varchar('source_run_id', 32)))
  sourceRunId!: string | null;

  @Column(varchar('lifecycle_stage', 32))
  lifecycleStage!: string;
}
