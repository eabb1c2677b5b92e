import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { bigint, integer, nullable, varchar } from './column-options';

@Entity('runs')
@Index('uq_runs_run_uuid', ['runUuid'], { unique: true })
@Index('ix_runs_experiment_stage_start', ['experimentId', 'lifecycleStage', 'startTime'])
export class RunEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column(varchar('run_uuid', 32))
  runUuid!: string;

  @Column(integer('experiment_id'))
  experimentId!: number;

  @Column(varchar('name', 250))
  name!: string;

  @Column(varchar('user_id', 256))
  userId!: string;

  @Column(varchar('status', 20))
  status!: string;

  @Column(nullable(bigint('start_time')))
  startTime!: number | null;

  @Column(nullable(bigint('end_time')))
  endTime!: number | null;

  @Column(nullable(bigint('deleted_time')))
  deletedTime!: number | null;

  @Column(varchar('lifecycle_stage', 20))
  lifecycleStage!: string;

  @Column(varchar('artifact_uri', 1000))
  artifactUri!: string;
}
