import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { Connection, createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';

import { createDataSource } from '@app/persistence/data-source';
import { ExperimentEntity, MetricEntity } from '@app/persistence/entities';
import { MIGRATIONS } from '@app/persistence/migrations';

/*
 * The migrations, the entities and the committed snapshots must agree on both dialects.
 * UPDATE_SCHEMA_SNAPSHOTS=1 rewrites test/db/schemas/<dialect>.sql from the live schema.
 */

jest.setTimeout(120_000);

interface Target {
  dialect: 'sqlite' | 'mysql';
  /** Tables left once the migration is undone: TypeORM's own bookkeeping. */
  bookkeepingTables: string[];
  /** Creates an empty database and returns its backend store URI. */
  setUp(): Promise<string>;
  tearDown(): Promise<void>;
  tables(dataSource: DataSource): Promise<string[]>;
  dump(dataSource: DataSource): Promise<string>;
}

function sqliteTarget(): Target {
  let dir: string | undefined;
  return {
    dialect: 'sqlite',
    bookkeepingTables: ['schema_migrations', 'sqlite_sequence'],
    async setUp() {
      dir = mkdtempSync(join(tmpdir(), 'flops-schema-'));
      return `sqlite:///${join(dir, 'schema.db')}`;
    },
    async tearDown() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    async tables(dataSource) {
      const rows: { name: string }[] = await dataSource.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      );
      return rows.map((row) => row.name);
    },
    async dump(dataSource) {
      const rows: { sql: string }[] = await dataSource.query(
        'SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name',
      );
      return rows.map((row) => `${row.sql};\n`).join('\n');
    },
  };
}

function mysqlTarget(): Target {
  const serverUrl = (process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
    /^mysql(\+\w+)?:/,
    'mysql:',
  );
  const database = `flops_schema_${randomBytes(6).toString('hex')}`;
  let admin: Connection | undefined;
  const tables = async (dataSource: DataSource) => {
    const rows: Record<string, string>[] = await dataSource.query('SHOW TABLES');
    return rows.map((row) => Object.values(row)[0]).sort();
  };
  return {
    dialect: 'mysql',
    bookkeepingTables: ['schema_migrations'],
    async setUp() {
      admin = await createConnection(serverUrl);
      // A non-binary database default, so the snapshot proves every string column is
      // utf8mb4_bin by itself whatever database the operator created.
      await admin.query(
        `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`,
      );
      const url = new URL(serverUrl);
      url.pathname = `/${database}`;
      return url.toString();
    },
    async tearDown() {
      if (!admin) return;
      try {
        await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await admin.end();
      }
    },
    tables,
    async dump(dataSource) {
      const statements: string[] = [];
      for (const table of await tables(dataSource)) {
        const [row]: Record<string, string>[] = await dataSource.query(
          `SHOW CREATE TABLE \`${table}\``,
        );
        statements.push(`${row['Create Table'].replace(/ AUTO_INCREMENT=\d+/, '')};\n`);
      }
      return statements.join('\n');
    },
  };
}

function expectSnapshot(dialect: Target['dialect'], live: string): void {
  const file = join(__dirname, 'schemas', `${dialect}.sql`);
  if (process.env.UPDATE_SCHEMA_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, live);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run with UPDATE_SCHEMA_SNAPSHOTS=1 to write it`);
  }
  expect(live).toBe(readFileSync(file, 'utf8'));
}

/**
 * The SQL the schema builder would run to make the database match the entities. TypeORM reads
 * MariaDB's catalogue correctly only as type 'mariadb' (as 'mysql' it takes the COLUMN_DEFAULT
 * 'NULL' of every nullable column for a literal), so on MariaDB a second DataSource of that type
 * does the reading; the app's own 'mysql' DataSource never introspects the schema.
 */
async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const options = dataSource.options;
  const inspector =
    options.type === 'mysql' && (await isMariaDb(dataSource))
      ? new DataSource({ ...options, type: 'mariadb' })
      : dataSource;
  try {
    if (!inspector.isInitialized) await inspector.initialize();
    const sql = await inspector.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  } finally {
    if (inspector !== dataSource && inspector.isInitialized) await inspector.destroy();
  }
}

async function isMariaDb(dataSource: DataSource): Promise<boolean> {
  const [{ version }] = await dataSource.query<{ version: string }[]>(
    'SELECT VERSION() AS version',
  );
  return /mariadb/i.test(version);
}

async function expectDefaultExperimentThenIdOne(dataSource: DataSource): Promise<void> {
  const experiments = dataSource.getRepository(ExperimentEntity);
  expect(await experiments.find()).toEqual([
    expect.objectContaining({ experimentId: 0, name: 'Default', lifecycleStage: 'active' }),
  ]);
  const { identifiers } = await experiments.insert({
    name: 'first-project',
    artifactLocation: '',
    lifecycleStage: 'active',
    creationTime: 1,
    lastUpdateTime: 1,
    owner: null,
  });
  expect(identifiers).toEqual([{ experimentId: 1 }]);
}

describe.each([sqliteTarget(), mysqlTarget()])('schema on $dialect', (target) => {
  let dataSource: DataSource | undefined;

  beforeAll(async () => {
    dataSource = createDataSource({ backendStoreUri: await target.setUp() });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    try {
      if (dataSource?.isInitialized) await dataSource.destroy();
    } finally {
      await target.tearDown();
    }
  });

  it('has entities that match the migration exactly', async () => {
    expect(await pendingSchemaChanges(dataSource!)).toEqual([]);
  });

  it('matches the committed schema snapshot', async () => {
    expectSnapshot(target.dialect, await target.dump(dataSource!));
  });

  it('has the Default experiment as id 0 and gives the next experiment id 1', async () => {
    await expectDefaultExperimentThenIdOne(dataSource!);
  });

  it('round-trips a metric through the entity with its real, boolean and bigint columns', async () => {
    const metrics = dataSource!.getRepository(MetricEntity);
    const finite = {
      runId: 1,
      key: 'loss',
      timestamp: 1_732_600_000_123,
      step: 2 ** 40,
      value: 0.1 + 0.2,
      isNan: false,
      modelId: null,
      datasetName: null,
      datasetDigest: null,
    };
    const nan = { ...finite, value: 0, isNan: true };
    await metrics.insert([finite, nan]);
    expect(await metrics.find({ order: { isNan: 'ASC' } })).toEqual([finite, nan]);
  });

  it('undoes the migrations completely and runs them again', async () => {
    const schema = await target.dump(dataSource!);
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource!.undoLastMigration();
    expect(await target.tables(dataSource!)).toEqual(target.bookkeepingTables);

    const applied = await dataSource!.runMigrations();
    expect(applied.map((migration) => migration.name)).toEqual([
      'CreateSchema1732600000000',
      'AddAccessControl1733000000000',
      'AddTraces1733100000000',
      'AddRunTagKeyIndex1733200000000',
    ]);
    expect(await target.dump(dataSource!)).toBe(schema);
    expect(await pendingSchemaChanges(dataSource!)).toEqual([]);
    await expectDefaultExperimentThenIdOne(dataSource!);
  });
});
