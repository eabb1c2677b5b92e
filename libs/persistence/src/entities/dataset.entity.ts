import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { integer, nullable, text, varchar } from './column-options';

@Entity('datasets')
@Index('uq_datasets_experiment_name_digest', ['experimentId', 'name', 'digest'], { unique: true })
export class DatasetEntity {
  @PrimaryGeneratedColumn('increment', { name: 'dataset_id', type: 'integer' })
  datasetId!: number;

  @Column(integer('experiment_id'))
  experimentId!: number;

  @Column(varchar('name', 500))
  name!: string;

  @Column(varchar('digest', 36))
  digest!: string;

  @Column(varchar('source_type', 36))
  sourceType!: string;

  @Column(text('source'))
  source!: string;

  @Column(nullable(text('dataset_schema')))
  datasetSchema!: string | null;

  @Column(nullable(text('profile')))
  profile!: string | null;
}
