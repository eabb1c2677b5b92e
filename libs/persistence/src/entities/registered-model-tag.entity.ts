import { Column, Entity, PrimaryColumn } from 'typeorm';

import { integer, nullable, text, varchar } from './column-options';

@Entity('registered_model_tags')
export class RegisteredModelTagEntity {
  @PrimaryColumn(integer('registered_model_id'))
  registeredModelId!: number;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;
}
