import { Column, Entity, PrimaryColumn } from 'typeorm';

import { integer, nullable, text, varchar } from './column-options';

@Entity('params')
export class ParamEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;
}
