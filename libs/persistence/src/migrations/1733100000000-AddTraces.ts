import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

import { dialectOf } from '../dialects';
import { columnFactory } from './column-factory';

/**
 * MLflow tracing: MLflow's `trace_info`, `trace_tags` and `trace_request_metadata` tables (2.x
 * columns plus 3.x's client request id and previews) and `trace_run_links` (3.x's trace → run
 * entity associations). Like the rest of the schema, no foreign keys: the store writes and
 * deletes children in the parent's transaction. Spans are files in the artifact store.
 */
export class AddTraces1733100000000 implements MigrationInterface {
  name = 'AddTraces1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = dialectOf(queryRunner.connection).schema;
    const c = columnFactory(schema);
    const create = (name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) =>
      queryRunner.createTable(new Table({ name, columns, indices, ...schema.tableOptions }));

    await create(
      'trace_info',
      [
        c.str('request_id', 50, false, true),
        c.int('experiment_id'),
        c.bigint('timestamp_ms'),
        c.bigint('execution_time_ms', true),
        c.str('status', 50),
        c.str('client_request_id', 250, true),
        c.text('request_preview', true),
        c.text('response_preview', true),
      ],
      [
        new TableIndex({
          name: 'ix_trace_info_experiment_timestamp',
          columnNames: ['experiment_id', 'timestamp_ms'],
        }),
      ],
    );
    for (const table of ['trace_tags', 'trace_request_metadata']) {
      await create(
        table,
        [
          c.str('key', 250, false, true),
          c.text('value', true),
          c.str('request_id', 50, false, true),
        ],
        [new TableIndex({ name: `ix_${table}_request_id`, columnNames: ['request_id'] })],
      );
    }
    await create(
      'trace_run_links',
      [c.str('request_id', 50, false, true), c.str('run_uuid', 32, false, true)],
      [new TableIndex({ name: 'ix_trace_run_links_run_uuid', columnNames: ['run_uuid'] })],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['trace_run_links', 'trace_request_metadata', 'trace_tags', 'trace_info']) {
      await queryRunner.dropTable(table);
    }
  }
}
