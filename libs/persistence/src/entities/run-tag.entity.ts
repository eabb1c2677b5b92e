import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { integer, nullable, text, varchar } from './column-options';

@Entity('run_tags')
@Index('ix_run_tags_key', ['key'])
export class RunTagEntity {
  @PrimaryColumn(integer('run_id'))
  runId!: number;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;
}
