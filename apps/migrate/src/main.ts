import 'reflect-metadata';

import { loadEnv, ServerEnv } from '@app/config';
import { redactUri } from '@app/domain';
import { serviceLogger } from '@app/http';
import { createDataSource, prepareSchema } from '@app/persistence';

const logger = serviceLogger();

/**
 * `npm run migrate`: the only entrypoint that changes a MySQL schema (the deploy job). It applies
 * pending migrations of the one chain to BACKEND_STORE_URI and exits.
 */
async function main(): Promise<void> {
  const config = loadEnv(ServerEnv);
  const dataSource = createDataSource({ backendStoreUri: config.BACKEND_STORE_URI });
  await dataSource.initialize();
  try {
    const pending = await dataSource.showMigrations();
    await prepareSchema(dataSource, true);
    logger.announce(
      `${redactUri(config.BACKEND_STORE_URI)}: ${pending ? 'migrations applied' : 'schema already up to date'}`,
      'migrate',
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error), 'migrate');
  process.exit(1);
});
