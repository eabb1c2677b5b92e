import { DataSource } from 'typeorm';

/**
 * MLflow's `_verify_schema`: services refuse to run on a database whose migrations are behind the
 * code. Embedded SQLite (the `npm start` default) migrates itself instead.
 */
export async function prepareSchema(dataSource: DataSource, autoMigrate: boolean): Promise<void> {
  if (autoMigrate) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  if (await dataSource.showMigrations()) {
    throw new Error(
      'Detected out-of-date database schema: migrations are pending. ' +
        'Take a backup of the database, then run `npm run migrate` (or the migrate job) and start again.',
    );
  }
}
