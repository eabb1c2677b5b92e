import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { BackendStoreTarget, parseBackendStoreUri } from './backend-store-uri';

export interface DataSourceOptions {
  backendStoreUri: string;
  /** Pool size on MySQL. */
  poolSize?: number;
}

/** Builds (but does not open) the TypeORM DataSource for a backend store URI. */
export function createDataSource(options: DataSourceOptions): DataSource {
  const target: BackendStoreTarget = parseBackendStoreUri(options.backendStoreUri);
  if (target.kind === 'sqlite') {
    const database = target.path === ':memory:' ? ':memory:' : resolve(target.path);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return new DataSource({
      type: 'better-sqlite3',
      database,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsTableName: 'schema_migrations',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        // MLflow makes LIKE case-sensitive on SQLite too (search_utils); ILIKE uses LOWER().
        db.pragma('case_sensitive_like = ON');
        db.pragma('busy_timeout = 5000');
      },
    });
  }
  return new DataSource({
    type: 'mysql',
    host: target.host,
    port: target.port,
    username: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_bin',
    supportBigNumbers: true,
    bigNumberStrings: false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    poolSize: options.poolSize ?? 10,
    // Lets SqlExecutor.executeBatch send a whole short transaction in one round trip (a single
    // log-metric is START TRANSACTION, two INSERTs and COMMIT). Only a saving of round trips: every
    // statement is still parameterised, no client value is ever spliced into SQL.
    multipleStatements: true,
    extra: { enableKeepAlive: true, keepAliveInitialDelay: 10_000, typeCast: exactDoubles },
  });
}

/**
 * mysql2's text-protocol number parser accumulates the digits in a double, which loses the last
 * bit of about 3 % of 16–17-digit values (990.5011037662389 came back as …388): metric values must
 * come back exactly as logged, so DOUBLE columns are read as text and converted by Number().
 */
function exactDoubles(field: { type: string; string(): string | null }, next: () => unknown) {
  if (field.type !== 'DOUBLE' && field.type !== 'FLOAT') return next();
  const text = field.string();
  return text === null ? null : Number(text);
}
