import { Column, Entity, PrimaryColumn } from 'typeorm';

import { integer, varchar } from './column-options';

@Entity('registered_model_aliases')
export class RegisteredModelAliasEntity {
  @PrimaryColumn(integer('registered_model_id'))
  registeredModelId!: number;

  @PrimaryColumn(varchar('alias', 255))
  alias!: string;

  @Column(integer('version'))
  version!: number;
}
