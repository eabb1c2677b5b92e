import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { bigint, integer, nullable, varchar } from './column-options';

@Entity('experiments')
@Index('uq_experiments_name', ['name'], { unique: true })
export class ExperimentEntity {
  @PrimaryGeneratedColumn('increment', { name: 'experiment_id', type: 'integer' })
  experimentId!: number;

  @Column(varchar('name', 500))
  name!: string;

  @Column(varchar('artifact_location', 1000))
  artifactLocation!: string;

  @Column(varchar('lifecycle_stage', 32))
  lifecycleStage!: string;

  @Column(bigint('creation_time'))
  creationTime!: number;

  @Column(bigint('last_update_time'))
  lastUpdateTime!: number;

  @Column(nullable(varchar('owner', 255)))
  owner!: string | null;

  @Column(nullable(integer('owner_id')))
  ownerId!: number | null;
}
