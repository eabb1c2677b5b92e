import { BackendStoreStatus, PoolUsage, redactUri } from '@app/domain';

import { SqlExecutor } from './sql-executor';

/** Readiness of the database: it answers a query and has no migration pending. */
export class SqlBackendStoreStatus extends BackendStoreStatus {
  readonly description: string;

  constructor(
    private readonly sql: SqlExecutor,
    backendStoreUri: string,
  ) {
    super();
    this.description = redactUri(backendStoreUri);
  }

  async check(): Promise<void> {
    try {
      await this.sql.select('SELECT 1 AS ok');
    } catch (error) {
      // Driver messages can name hosts and users: only the kind of failure is told.
      const kind = this.sql.dialect.classifyError(error);
      throw new Error(`the database does not answer (${kind === 'other' ? 'error' : kind})`);
    }
    if (await this.sql.dataSource.showMigrations()) {
      throw new Error('migrations are pending: run `npm run migrate`');
    }
  }

  poolUsage(): PoolUsage {
    return this.sql.poolUsage();
  }
}
