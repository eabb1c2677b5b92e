import { Entity, PrimaryColumn } from 'typeorm';

import { integer } from './column-options';

@Entity('run_dataset_inputs')
export class RunDatasetInputEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(integer('dataset_id'))
  datasetId!: number;
}
