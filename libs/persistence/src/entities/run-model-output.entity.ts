import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigint, integer, varchar } from './column-options';

@Entity('run_model_outputs')
export class RunModelOutputEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(varchar('model_id', 64))
  modelId!: string;

  @Column(bigint('step'))
  step!: number;
}
