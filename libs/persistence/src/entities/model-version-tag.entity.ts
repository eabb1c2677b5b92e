import { Column, Entity, PrimaryColumn } from 'typeorm';

import { integer, nullable, text, varchar } from './column-options';

@Entity('model_version_tags')
export class ModelVersionTagEntity {
  @PrimaryColumn(integer('registered_model_id'))
  registeredModelId!: number;

  @PrimaryColumn(integer('version'))
  version!: number;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;
}
