import { Column, Entity, PrimaryColumn } from 'typeorm';

import { nullable, text, varchar } from './column-options';

@Entity('logged_model_params')
export class LoggedModelParamEntity {
  @PrimaryColumn(varchar('model_id', 64))
  modelId!: string;

  @PrimaryColumn(varchar('key', 250))
  key!: string;

  @Column(nullable(text('value')))
  value!: string | null;
}
