import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { bigint, integer, nullable, text, varchar } from './column-options';

@Entity('registered_models')
@Index('uq_registered_models_name', ['name'], { unique: true })
export class RegisteredModelEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column(varchar('name', 256))
  name!: string;

  @Column(bigint('creation_time'))
  creationTime!: number;

  @Column(bigint('last_updated_time'))
  lastUpdatedTime!: number;

  @Column(nullable(text('description')))
  description!: string | null;

  @Column(nullable(varchar('owner', 255)))
  owner!: string | null;

  @Column(integer('next_version'))
  nextVersion!: number;
}
