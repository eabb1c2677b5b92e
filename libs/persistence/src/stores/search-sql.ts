import { Comparator, FilterClause, MlflowError } from '@app/domain';
import { SqlValue } from '../sql-executor';
import { placeholders, q } from './sql-helpers';

/**
 * `<column> <comparator> ?` for one parsed filter clause, pushing its parameters. Values are always
 * bound, never spliced. LIKE is case-sensitive on both dialects (utf8mb4_bin columns on MySQL,
 * `PRAGMA case_sensitive_like` on SQLite); ILIKE compares lower-cased text.
 */
export function comparisonSql(
  column: string,
  comparator: Comparator,
  value: string | number | string[],
  params: SqlValue[],
): string {
  switch (comparator) {
    case '=':
    case '!=':
    case '>':
    case '>=':
    case '<':
    case '<=':
      params.push(value as string | number);
      return `${column} ${comparator} ?`;
    case 'LIKE':
      params.push(value as string);
      return `${column} LIKE ?`;
    case 'ILIKE':
      params.push(value as string);
      return `LOWER(${column}) LIKE LOWER(?)`;
    case 'IN':
    case 'NOT IN': {
      const list = value as string[];
      if (list.length === 0) return comparator === 'IN' ? '1 = 0' : '1 = 1';
      params.push(...list);
      return `${column} ${comparator} (${placeholders(list.length)})`;
    }
  }
}

/** SQL for an ORDER BY term where rows lacking the value sort last in both directions. */
export function orderTerm(expression: string, ascending: boolean): string {
  return `(${expression} IS NULL) ASC, ${expression} ${ascending ? 'ASC' : 'DESC'}`;
}

export function unsupported(what: string): MlflowError {
  return MlflowError.invalidParameterValue(`Unsupported search term: ${what}`);
}

/**
 * `JOIN <table> <alias> ON <owner match> AND key = ? AND <comparison on value>` for a tag or param
 * clause. An inner join on purpose: in MLflow a clause, even `!=`, only matches entities that have
 * the key. Parameters are pushed in the order they appear in the SQL.
 */
export function keyValueFilterJoin(
  table: string,
  alias: string,
  ownerMatch: string,
  clause: FilterClause,
  params: SqlValue[],
): string {
  params.push(clause.key);
  const condition = comparisonSql(
    `${alias}.${q('value')}`,
    clause.comparator,
    clause.value,
    params,
  );
  return `JOIN ${table} ${alias} ON ${ownerMatch} AND ${alias}.${q('key')} = ? AND ${condition}`;
}
