import { Test } from '@nestjs/testing';

import { mlflowServiceModule } from '@app/http';
import { createDataSource, prepareSchema } from '@app/persistence';

import { SUITE_SERVICE } from '../../apps/suite/src/suite.module';
import { createScratchDatabase } from '../support/mysql';
import { migrate } from '../support/test-app';

describe('the boot-time schema guard on MySQL', () => {
  let db: { uri: string; drop: () => Promise<void> };

  beforeEach(async () => {
    db = await createScratchDatabase('flops_guard');
  });

  afterEach(async () => {
    await db.drop();
  });

  it('refuses a database whose migrations are pending, naming the fix, and changes nothing', async () => {
    const dataSource = createDataSource({ backendStoreUri: db.uri });
    await dataSource.initialize();
    try {
      await expect(prepareSchema(dataSource, false)).rejects.toThrow(
        /out-of-date database schema[\s\S]*npm run migrate/,
      );
      const tables = await dataSource.query<unknown[]>('SHOW TABLES');
      expect(tables.filter((t) => !JSON.stringify(t).includes('schema_migrations'))).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps a service from starting on an unmigrated database, and lets it start once migrated', async () => {
    const boot = async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          mlflowServiceModule(SUITE_SERVICE, {
            BACKEND_STORE_URI: db.uri,
            ARTIFACTS_DESTINATION: 'file:/tmp/flops-guard',
          }),
        ],
      }).compile();
      await moduleRef.close();
    };
    await expect(boot()).rejects.toThrow(/out-of-date database schema/);
    await migrate(db.uri);
    await expect(boot()).resolves.toBeUndefined();
  });
});
