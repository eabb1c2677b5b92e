import { Column, Entity, PrimaryColumn } from 'typeorm';

import { integer, varchar } from './column-options';

@Entity('run_dataset_input_tags')
export class RunDatasetInputTagEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(integer('dataset_id'))
  datasetId!: number;

  @PrimaryColumn(varchar('key', 255))
  key!: string;

  @Column(varchar('value', 500))
  value!: string;
}
