import { ColumnOptions, PrimaryColumnOptions } from 'typeorm';

/*
 * Column options shared by every entity. Each helper mirrors the migration's column factory and
 * picks a type that TypeORM's mysql and sqlite drivers both normalise to what the migration
 * created, so one entity set produces no schema diff on either dialect. Columns are NOT NULL
 * unless wrapped in nullable().
 */

// Case-sensitive like MLflow on MySQL. The sqlite driver does not compare them, but it would emit
// an invalid COLLATE if it ever built a column from an entity: schema changes go through migrations.
const UTF8MB4_BIN = { charset: 'utf8mb4', collation: 'utf8mb4_bin' } as const;

export function nullable(options: PrimaryColumnOptions): ColumnOptions {
  return { ...options, nullable: true };
}

export function varchar(name: string, length: number): PrimaryColumnOptions {
  return { name, type: 'varchar', length, ...UTF8MB4_BIN };
}

export function text(name: string): PrimaryColumnOptions {
  return { name, type: 'text', ...UTF8MB4_BIN };
}

export function integer(name: string): PrimaryColumnOptions {
  return { name, type: 'integer' };
}

export function bigint(name: string): PrimaryColumnOptions {
  return { name, type: 'bigint' };
}

// 'real' rather than 'double': sqlite keeps 'real' as is, mysql normalises it to 'double'.
export function double(name: string): PrimaryColumnOptions {
  return { name, type: 'real' };
}

// Normalised to 'tinyint' by the mysql driver and kept as 'boolean' by the sqlite driver.
export function boolean(name: string): PrimaryColumnOptions {
  return { name, type: 'boolean' };
}
