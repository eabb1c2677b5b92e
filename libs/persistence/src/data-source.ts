import { DataSource } from 'typeorm';

import { parseBackendStoreUri } from './backend-store-uri';
import { dialectForTarget } from './dialects';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  backendStoreUri: string;
  /** Pool size on MySQL. */
  poolSize?: number;
}

/** Builds (but does not open) the TypeORM DataSource for a backend store URI, by its dialect. */
export function createDataSource(options: DataSourceOptions): DataSource {
  const target = parseBackendStoreUri(options.backendStoreUri);
  return dialectForTarget(target).createDataSource(target, {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    poolSize: options.poolSize,
  });
}
