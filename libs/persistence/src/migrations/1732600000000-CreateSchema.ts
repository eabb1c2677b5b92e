import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

import { DEFAULT_EXPERIMENT_NAME } from '@app/domain';

import { dialectOf } from '../dialects';
import { columnFactory } from './column-factory';

/**
 * The whole backend store as of the first release: tracking (experiments = FLOps projects,
 * runs = training rounds, metrics, params, tags, datasets, logged models) and the model registry.
 *
 * Runs and registered models have an integer surrogate key, used by every child table: it keeps
 * the metric indexes narrow (4 bytes instead of a 32-char uuid per row), which matters because
 * metrics is by far the largest table. No foreign keys: every write path resolves its parent in
 * the same transaction, and FK checks on `metrics` would cost a shared lock per inserted row.
 * On MySQL every string column is utf8mb4_bin, so names, keys and LIKE are case-sensitive as in
 * MLflow on every backend (mlflow#7857).
 */
export class CreateSchema1732600000000 implements MigrationInterface {
  name = 'CreateSchema1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = dialectOf(queryRunner.connection).schema;
    const c = columnFactory(schema);
    const create = (name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) =>
      queryRunner.createTable(
        new Table({
          name,
          columns,
          indices,
          ...schema.tableOptions,
        }),
      );

    await create(
      'experiments',
      [
        c.autoId('experiment_id'),
        c.str('name', 500),
        c.str('artifact_location', 1000),
        c.str('lifecycle_stage', 32),
        c.bigint('creation_time'),
        c.bigint('last_update_time'),
        c.str('owner', 255, true),
      ],
      [new TableIndex({ name: 'uq_experiments_name', columnNames: ['name'], isUnique: true })],
    );
    await create('experiment_tags', [
      c.int('experiment_id', true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);

    await create(
      'runs',
      [
        c.autoId('id'),
        c.str('run_uuid', 32),
        c.int('experiment_id'),
        c.str('name', 250),
        c.str('user_id', 256),
        c.str('status', 20),
        c.bigint('start_time', true),
        c.bigint('end_time', true),
        c.bigint('deleted_time', true),
        c.str('lifecycle_stage', 20),
        c.str('artifact_uri', 1000),
      ],
      [
        new TableIndex({ name: 'uq_runs_run_uuid', columnNames: ['run_uuid'], isUnique: true }),
        new TableIndex({
          name: 'ix_runs_experiment_stage_start',
          columnNames: ['experiment_id', 'lifecycle_stage', 'start_time'],
        }),
      ],
    );
    await create('run_tags', [
      c.int('run_id', true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);
    await create('params', [
      c.int('run_id', true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);
    await create(
      'metrics',
      [
        c.int('run_id', true),
        c.str('key', 250, false, true),
        c.bigint('timestamp', false, true),
        c.bigint('step', false, true),
        c.double('value', true),
        c.bool('is_nan', true),
        c.str('model_id', 64, true),
        c.str('dataset_name', 500, true),
        c.str('dataset_digest', 36, true),
      ],
      [new TableIndex({ name: 'ix_metrics_run_key_step', columnNames: ['run_id', 'key', 'step'] })],
    );
    await create(
      'latest_metrics',
      [
        c.int('run_id', true),
        c.str('key', 250, false, true),
        c.bigint('step'),
        c.bigint('timestamp'),
        c.double('value'),
        c.bool('is_nan'),
      ],
      [new TableIndex({ name: 'ix_latest_metrics_key_value', columnNames: ['key', 'value'] })],
    );

    await create(
      'datasets',
      [
        c.autoId('dataset_id'),
        c.int('experiment_id'),
        c.str('name', 500),
        c.str('digest', 36),
        c.str('source_type', 36),
        // TEXT (64 KB on MySQL, where MLflow uses MEDIUMTEXT for schema and profile): TypeORM's
        // sqlite driver rejects 'longtext', so one entity set could not match a per-dialect type.
        c.text('source'),
        c.text('dataset_schema', true),
        c.text('profile', true),
      ],
      [
        new TableIndex({
          name: 'uq_datasets_experiment_name_digest',
          columnNames: ['experiment_id', 'name', 'digest'],
          isUnique: true,
        }),
      ],
    );
    await create('run_dataset_inputs', [c.int('run_id', true), c.int('dataset_id', true)]);
    await create('run_dataset_input_tags', [
      c.int('run_id', true),
      c.int('dataset_id', true),
      c.str('key', 255, false, true),
      c.str('value', 500),
    ]);
    await create('run_model_inputs', [c.int('run_id', true), c.str('model_id', 64, false, true)]);
    await create('run_model_outputs', [
      c.int('run_id', true),
      c.str('model_id', 64, false, true),
      c.bigint('step'),
    ]);

    await create(
      'logged_models',
      [
        c.str('model_id', 64, false, true),
        c.int('experiment_id'),
        c.str('name', 500),
        c.str('artifact_location', 1000),
        c.bigint('creation_timestamp_ms'),
        c.bigint('last_updated_timestamp_ms'),
        c.str('status', 40),
        c.text('status_message', true),
        c.str('model_type', 500, true),
        c.str('source_run_id', 32, true),
        c.str('lifecycle_stage', 32),
      ],
      [new TableIndex({ name: 'ix_logged_models_experiment', columnNames: ['experiment_id'] })],
    );
    await create('logged_model_tags', [
      c.str('model_id', 64, false, true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);
    await create('logged_model_params', [
      c.str('model_id', 64, false, true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);
    await create('logged_model_metrics', [
      c.str('model_id', 64, false, true),
      c.str('key', 250, false, true),
      c.bigint('timestamp', false, true),
      c.bigint('step', false, true),
      c.double('value', true),
      c.bool('is_nan', true),
      c.str('run_id', 32),
      c.str('dataset_name', 500, true),
      c.str('dataset_digest', 36, true),
    ]);

    await create(
      'registered_models',
      [
        c.autoId('id'),
        c.str('name', 256),
        c.bigint('creation_time'),
        c.bigint('last_updated_time'),
        c.text('description', true),
        c.str('owner', 255, true),
        c.int('next_version'),
      ],
      [
        new TableIndex({
          name: 'uq_registered_models_name',
          columnNames: ['name'],
          isUnique: true,
        }),
      ],
    );
    await create(
      'model_versions',
      [
        c.int('registered_model_id', true),
        c.int('version', true),
        c.bigint('creation_time'),
        c.bigint('last_updated_time'),
        c.text('description', true),
        c.str('user_id', 256, true),
        c.str('current_stage', 20),
        c.text('source'),
        c.text('storage_location'),
        c.str('run_id', 32, true),
        c.text('run_link', true),
        c.str('status', 20),
        c.text('status_message', true),
        c.str('model_id', 64, true),
      ],
      [
        new TableIndex({
          name: 'ix_model_versions_stage',
          columnNames: ['registered_model_id', 'current_stage'],
        }),
      ],
    );
    await create('registered_model_tags', [
      c.int('registered_model_id', true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);
    await create('model_version_tags', [
      c.int('registered_model_id', true),
      c.int('version', true),
      c.str('key', 250, false, true),
      c.text('value', true),
    ]);
    await create('registered_model_aliases', [
      c.int('registered_model_id', true),
      c.str('alias', 255, false, true),
      c.int('version'),
    ]);

    await queryRunner.query(
      'INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time, owner) VALUES (0, ?, ?, ?, ?, ?, NULL)',
      [DEFAULT_EXPERIMENT_NAME, '', 'active', Date.now(), Date.now()],
    );
    await schema.keepExperimentIdZero(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'registered_model_aliases',
      'model_version_tags',
      'registered_model_tags',
      'model_versions',
      'registered_models',
      'logged_model_metrics',
      'logged_model_params',
      'logged_model_tags',
      'logged_models',
      'run_model_outputs',
      'run_model_inputs',
      'run_dataset_input_tags',
      'run_dataset_inputs',
      'datasets',
      'latest_metrics',
      'metrics',
      'params',
      'run_tags',
      'runs',
      'experiment_tags',
      'experiments',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
