import type { DataSource } from 'typeorm';

import type { BackendStoreTarget } from '../backend-store-uri';
import { MYSQL_DIALECT } from './mysql.dialect';
import { SqlDialect } from './sql-dialect';
import { SQLITE_DIALECT } from './sqlite.dialect';

export * from './sql-dialect';

const DIALECTS: readonly SqlDialect[] = [MYSQL_DIALECT, SQLITE_DIALECT];

/** The dialect of a DataSource, by its TypeORM driver type. */
export function dialectOf(dataSource: DataSource): SqlDialect {
  const dialect = DIALECTS.find((d) => d.typeormType === dataSource.options.type);
  if (!dialect) {
    throw new Error(
      `No SQL dialect for the TypeORM driver '${dataSource.options.type}'; known: ${DIALECTS.map((d) => d.typeormType).join(', ')}`,
    );
  }
  return dialect;
}

/** The dialect serving a parsed backend-store URI. */
export function dialectForTarget(target: BackendStoreTarget): SqlDialect {
  const dialect = DIALECTS.find((d) => d.uriKind === target.kind);
  if (!dialect) throw new Error(`No SQL dialect for backend store kind '${target.kind}'`);
  return dialect;
}
