import 'reflect-metadata';

import { loadEnv, ServerEnv } from '@app/config';
import { redactUri } from '@app/domain';
import { createDataSource, prepareSchema } from '@app/persistence';
import { Logger } from '@nestjs/common';

/**
 * `npm run migrate`: the only entrypoint that changes a MySQL schema (the deploy job). It applies
 * pending migrations of the one chain to BACKEND_STORE_URI and exits.
 */
async function main(): Promise<void> {
  const config = loadEnv(ServerEnv, process.env);
  const logger = new Logger('migrate');
  const dataSource = createDataSource({ backendStoreUri: config.BACKEND_STORE_URI });
  await dataSource.initialize();
  try {
    const pending = await dataSource.showMigrations();
    await prepareSchema(dataSource, true);
    logger.log(
      `${redactUri(config.BACKEND_STORE_URI)}: ${pending ? 'migrations applied' : 'schema already up to date'}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  new Logger('migrate').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
