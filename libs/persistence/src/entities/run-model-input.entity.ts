import { Entity, PrimaryColumn } from 'typeorm';

import { integer, varchar } from './column-options';

@Entity('run_model_inputs')
export class RunModelInputEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(varchar('model_id', 64))
  modelId!: string;
}
