import { Column, Entity, PrimaryColumn } from 'typeorm';

import { integer, nullable, text, varchar } from './column-options';

@Entity('experiment_tags')
export class ExperimentTagEntity {
  @PrimaryColumn(integer('experiment_id'))
  experimentId!: number;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;
}
