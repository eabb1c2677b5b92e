import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

import { bigint, boolean, integer, nullable, text, varchar } from './column-options';

@Entity('users')
@Index('uq_users_username', ['username'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column(varchar('username', 255))
  username!: string;

  @Column(nullable(varchar('password_hash', 255)))
  passwordHash!: string | null;

  @Column(boolean('is_admin'))
  isAdmin!: boolean;

  @Column(bigint('creation_time'))
  creationTime!: number;
}

@Entity('api_tokens')
@Index('uq_api_tokens_secret_hash', ['secretHash'], { unique: true })
@Index('ix_api_tokens_user', ['userId'])
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column(integer('user_id'))
  userId!: number;

  @Column(varchar('name', 255))
  name!: string;

  @Column(varchar('secret_hash', 64))
  secretHash!: string;

  @Column(nullable(integer('experiment_id')))
  experimentId!: number | null;

  @Column(bigint('creation_time'))
  creationTime!: number;

  @Column(nullable(bigint('expiration_time')))
  expirationTime!: number | null;

  @Column(nullable(bigint('last_used_time')))
  lastUsedTime!: number | null;

  @Column(nullable(bigint('revoked_time')))
  revokedTime!: number | null;
}

@Entity('experiment_permissions')
@Index('ix_experiment_permissions_user', ['userId', 'experimentId'])
export class ExperimentPermissionEntity {
  @PrimaryColumn(integer('experiment_id'))
  experimentId!: number;

  @PrimaryColumn(integer('user_id'))
  userId!: number;

  @Column(varchar('permission', 32))
  permission!: string;
}

@Entity('registered_model_permissions')
@Index('ix_registered_model_permissions_user', ['userId', 'registeredModelId'])
export class RegisteredModelPermissionEntity {
  @PrimaryColumn(integer('registered_model_id'))
  registeredModelId!: number;

  @PrimaryColumn(integer('user_id'))
  userId!: number;

  @Column(varchar('permission', 32))
  permission!: string;
}

@Entity('audit_events')
@Index('ix_audit_events_experiment', ['experimentId', 'id'])
@Index('ix_audit_events_registered_model', ['registeredModelId', 'id'])
@Index('ix_audit_events_username', ['username', 'id'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column(bigint('time'))
  time!: number;

  @Column(varchar('username', 255))
  username!: string;

  @Column(varchar('client_address', 64))
  clientAddress!: string;

  @Column(varchar('action', 64))
  action!: string;

  @Column(varchar('resource_type', 32))
  resourceType!: string;

  @Column(varchar('resource_id', 256))
  resourceId!: string;

  @Column(nullable(integer('experiment_id')))
  experimentId!: number | null;

  @Column(nullable(integer('registered_model_id')))
  registeredModelId!: number | null;

  @Column(nullable(text('detail')))
  detail!: string | null;
}
