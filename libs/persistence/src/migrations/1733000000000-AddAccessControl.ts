import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableColumnOptions,
  TableIndex,
} from 'typeorm';

import { dialectOf } from '../dialects';
import { columnFactory } from './column-factory';

/**
 * Tenancy: users, API tokens, per-resource grants and the audit log. Grants are keyed by the
 * resource's immutable integer id and the user's id (never by names, which MLflow's auth app uses
 * and which outlive their resource). Every table has a primary key (Galera needs one).
 */
export class AddAccessControl1733000000000 implements MigrationInterface {
  name = 'AddAccessControl1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = dialectOf(queryRunner.connection).schema;
    const c = columnFactory(schema);
    const create = (name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) =>
      queryRunner.createTable(new Table({ name, columns, indices, ...schema.tableOptions }));

    // The owner's user id beside the owner's name: it picks the experiment's artifact partition.
    await queryRunner.addColumn('experiments', new TableColumn(c.int('owner_id', false, true)));
    await create(
      'users',
      [
        c.autoId('id'),
        c.str('username', 255),
        c.str('password_hash', 255, true),
        c.bool('is_admin'),
        c.bigint('creation_time'),
      ],
      [new TableIndex({ name: 'uq_users_username', columnNames: ['username'], isUnique: true })],
    );
    await create(
      'api_tokens',
      [
        c.autoId('id'),
        c.int('user_id'),
        c.str('name', 255),
        c.str('secret_hash', 64),
        c.int('experiment_id', false, true),
        c.bigint('creation_time'),
        c.bigint('expiration_time', true),
        c.bigint('last_used_time', true),
        c.bigint('revoked_time', true),
      ],
      [
        new TableIndex({
          name: 'uq_api_tokens_secret_hash',
          columnNames: ['secret_hash'],
          isUnique: true,
        }),
        new TableIndex({ name: 'ix_api_tokens_user', columnNames: ['user_id'] }),
      ],
    );
    await create(
      'experiment_permissions',
      [c.int('experiment_id', true), c.int('user_id', true), c.str('permission', 32)],
      [
        new TableIndex({
          name: 'ix_experiment_permissions_user',
          columnNames: ['user_id', 'experiment_id'],
        }),
      ],
    );
    await create(
      'registered_model_permissions',
      [c.int('registered_model_id', true), c.int('user_id', true), c.str('permission', 32)],
      [
        new TableIndex({
          name: 'ix_registered_model_permissions_user',
          columnNames: ['user_id', 'registered_model_id'],
        }),
      ],
    );
    await create(
      'audit_events',
      [
        c.autoId('id'),
        c.bigint('time'),
        c.str('username', 255),
        c.str('client_address', 64),
        c.str('action', 64),
        c.str('resource_type', 32),
        c.str('resource_id', 256),
        c.int('experiment_id', false, true),
        c.int('registered_model_id', false, true),
        c.text('detail', true),
      ],
      [
        new TableIndex({
          name: 'ix_audit_events_experiment',
          columnNames: ['experiment_id', 'id'],
        }),
        new TableIndex({
          name: 'ix_audit_events_registered_model',
          columnNames: ['registered_model_id', 'id'],
        }),
        new TableIndex({ name: 'ix_audit_events_username', columnNames: ['username', 'id'] }),
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'registered_model_permissions',
      'experiment_permissions',
      'api_tokens',
      'users',
    ]) {
      await queryRunner.dropTable(table);
    }
    await queryRunner.dropColumn('experiments', 'owner_id');
  }
}
