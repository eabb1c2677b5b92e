import { TableColumnOptions } from 'typeorm';

import { DialectSchema } from '../dialects';

/** The column types every migration uses, in the dialect's spelling. */
export function columnFactory(schema: DialectSchema) {
  const text = schema.textOptions;
  return {
    autoId: (name: string): TableColumnOptions => ({
      name,
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    int: (name: string, isPrimary = false, isNullable = false): TableColumnOptions => ({
      name,
      type: 'integer',
      isPrimary,
      isNullable,
    }),
    bigint: (name: string, isNullable = false, isPrimary = false): TableColumnOptions => ({
      name,
      type: 'bigint',
      isNullable,
      isPrimary,
    }),
    double: (name: string, isPrimary = false): TableColumnOptions => ({
      name,
      type: schema.doubleType,
      isPrimary,
    }),
    bool: (name: string, isPrimary = false): TableColumnOptions => ({
      name,
      type: schema.booleanType,
      isPrimary,
    }),
    str: (
      name: string,
      length: number,
      isNullable = false,
      isPrimary = false,
    ): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
      isPrimary,
      ...text,
    }),
    text: (name: string, isNullable = false): TableColumnOptions => ({
      name,
      type: 'text',
      isNullable,
      ...text,
    }),
  };
}
