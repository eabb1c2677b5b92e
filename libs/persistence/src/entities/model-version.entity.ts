import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigint, integer, nullable, text, varchar } from './column-options';

@Entity('model_versions')
@Index('ix_model_versions_stage', ['registeredModelId', 'currentStage'])
export class ModelVersionEntity {
  @PrimaryColumn(integer('registered_model_id'))
  registeredModelId!: number;

  @PrimaryColumn(integer('version'))
  version!: number;

  @Column(bigint('creation_time'))
  creationTime!: number;

  @Column(bigint('last_updated_time'))
  lastUpdatedTime!: number;

  @Column(nullable(text('description')))
  description!: string | null;

  @Column(nullable(varchar('user_id', 256)))
  userId!: string | null;

  @Column(varchar('current_stage', 20))
  currentStage!: string;

  @Column(text('source'))
  source!: string;

  @Column(text('storage_location'))
  storageLocation!: string;

  @Column(nullable(varchar('run_id', 32)))
  runId!: string | null;

  @Column(nullable(text('run_link')))
  runLink!: string | null;

  @Column(varchar('status', 20))
  status!: string;

  @Column(nullable(text('status_message')))
  statusMessage!: string | null;

  @Column(nullable(varchar('model_id', 64)))
  modelId!: string | null;
}
