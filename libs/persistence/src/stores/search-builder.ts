import { Comparator, FilterClause, MlflowError, OrderByClause } from '@app/domain';

import { SqlValue } from '../sql-executor';
import { placeholders, q } from './sql-helpers';

/** One ORDER BY key. */
export interface SortKey {
  expression: string;
  direction: 'ASC' | 'DESC';
}

/** Why a join is there: to filter rows, or only to sort them (a count or a boundary read skips those). */
export type JoinRole = 'filter' | 'order';

interface Join {
  role: JoinRole;
  sql: string;
  params: SqlValue[];
}

const ALL_ROLES: ReadonlySet<JoinRole> = new Set(['filter', 'order']);

/** A child table of (owner, key) → value rows: an entity's tags or params. */
export interface KeyValueTable {
  table: string;
  /** The join condition tying a row of `alias` to the searched entity. */
  ownerMatch: (alias: string) => string;
}

/** Entity types stored as (owner, key) → value rows. */
type KeyValueEntity = 'tag' | 'param' | 'request_metadata';

function isKeyValueEntity(type: string): type is KeyValueEntity {
  return type === 'tag' || type === 'param' || type === 'request_metadata';
}

/** What one entity's search can filter and sort on, beyond what its store handles itself. */
export interface SearchColumns {
  /** Filterable attribute (canonical key from the filter parser) → column. */
  readonly filterable: Readonly<Record<string, string>>;
  /** Orderable attribute → sort expression, and whether it can be NULL. */
  readonly orderable: Readonly<Record<string, { expression: string; nullable: boolean }>>;
  readonly keyValues: Readonly<Partial<Record<KeyValueEntity, KeyValueTable>>>;
}

/**
 * The one way a search statement is built, for runs, experiments, registered models, model
 * versions and logged models: joins and conditions with their bound values kept in text order,
 * sort keys, and the page. Values are always bound, never spliced; identifiers come from the
 * stores' fixed tables. `require()` is the hook for predicates every row must satisfy whatever
 * the client asked (lifecycle stages today; the caller's ownership and permissions with tenancy).
 */
export class SearchStatement {
  readonly order: SortKey[] = [];
  private readonly joinList: Join[] = [];
  private readonly conditions: { sql: string; params: SqlValue[] }[] = [];
  private aliases = 0;

  /** A fresh table alias, `<prefix><n>`. */
  alias(prefix: string): string {
    return `${prefix}${this.aliases++}`;
  }

  /** Adds a join; answers its index (for `replaceJoin`). */
  join(role: JoinRole, sql: string, params: SqlValue[] = []): number {
    return this.joinList.push({ role, sql, params }) - 1;
  }

  replaceJoin(index: number, role: JoinRole, sql: string, params: SqlValue[]): void {
    this.joinList[index] = { role, sql, params };
  }

  /** A mandatory predicate: every row the search can return satisfies it. */
  require(sql: string, params: SqlValue[] = []): void {
    this.conditions.push({ sql, params });
  }

  /** `<column> <comparator> ?` for a client's clause on a plain column. */
  where(column: string, clause: Pick<FilterClause, 'comparator' | 'value'>): void {
    const params: SqlValue[] = [];
    this.conditions.push({
      sql: comparisonSql(column, clause.comparator, clause.value, params),
      params,
    });
  }

  /** A condition whose SQL the caller wrote (an EXISTS, say), with its values. */
  whereSql(sql: string, params: SqlValue[] = []): void {
    this.conditions.push({ sql, params });
  }

  /**
   * `JOIN <table> <alias> ON <owner match> AND key = ? AND <comparison on value>` for a tag or
   * param clause. An inner join on purpose: in MLflow a clause, even `!=`, only matches entities
   * that have the key.
   */
  keyValueFilter(table: string, ownerMatch: (alias: string) => string, clause: FilterClause): void {
    const alias = this.alias('f');
    const params: SqlValue[] = [clause.key];
    const condition = comparisonSql(
      `${alias}.${q('value')}`,
      clause.comparator,
      clause.value,
      params,
    );
    this.join(
      'filter',
      `JOIN ${table} ${alias} ON ${ownerMatch(alias)} AND ${alias}.${q('key')} = ? AND ${condition}`,
      params,
    );
  }

  /**
   * Applies a filter clause on an attribute, tag or param through the entity's columns; answers
   * false for a clause type the caller must handle itself (metrics, datasets).
   */
  filterBy(columns: SearchColumns, clause: FilterClause): boolean {
    if (clause.type === 'attribute') {
      const column = columns.filterable[clause.key];
      if (!column) throw unsupported(`attributes.${clause.key}`);
      this.where(column, clause);
      return true;
    }
    if (isKeyValueEntity(clause.type)) {
      const table = columns.keyValues[clause.type];
      if (!table) throw unsupported(`${clause.type}.${clause.key}`);
      this.keyValueFilter(table.table, table.ownerMatch, clause);
      return true;
    }
    return false;
  }

  /**
   * Applies an order-by clause on an attribute, tag or param (tags and params sort by their
   * lower-cased value, missing last); answers false for a type the caller must handle itself.
   */
  sortBy(
    columns: SearchColumns,
    clause: Pick<OrderByClause, 'type' | 'key' | 'ascending'>,
  ): boolean {
    if (clause.type === 'attribute') {
      const sort = columns.orderable[clause.key];
      if (!sort) throw unsupported(`order_by attributes.${clause.key}`);
      this.orderBy(sort.expression, clause.ascending, sort.nullable);
      return true;
    }
    if (isKeyValueEntity(clause.type)) {
      const table = columns.keyValues[clause.type];
      if (!table) throw unsupported(`order_by ${clause.type}.${clause.key}`);
      const alias = this.alias('o');
      this.join(
        'order',
        `LEFT JOIN ${table.table} ${alias} ON ${table.ownerMatch(alias)} AND ${alias}.${q('key')} = ?`,
        [clause.key],
      );
      this.orderBy(`LOWER(${alias}.${q('value')})`, clause.ascending);
      return true;
    }
    return false;
  }

  /** Sort keys putting rows without a value last in both directions (NULL sorts smallest on every dialect). */
  orderBy(expression: string, ascending: boolean, nullable = true): void {
    if (!ascending) {
      this.order.push({ expression, direction: 'DESC' });
      return;
    }
    if (nullable) this.order.push({ expression: `(${expression} IS NULL)`, direction: 'ASC' });
    this.order.push({ expression, direction: 'ASC' });
  }

  /** The joins of these roles in text order, with their values in the same order. */
  joins(roles: ReadonlySet<JoinRole> = ALL_ROLES): { sql: string; params: SqlValue[] } {
    const chosen = this.joinList.filter((join) => roles.has(join.role));
    return {
      sql: chosen.map((join) => join.sql).join(' '),
      params: chosen.flatMap((join) => join.params),
    };
  }

  /** ` WHERE a AND b` (empty without conditions) and its values. */
  whereClause(): { sql: string; params: SqlValue[] } {
    if (this.conditions.length === 0) return { sql: '', params: [] };
    return {
      sql: ` WHERE ${this.conditions.map((c) => c.sql).join(' AND ')}`,
      params: this.conditions.flatMap((c) => c.params),
    };
  }

  /** Values bound by the joins and conditions so far. */
  boundValueCount(): number {
    return this.joins().params.length + this.whereClause().params.length;
  }

  /**
   * `SELECT <columns> FROM <from> <joins> WHERE … ORDER BY … LIMIT ? OFFSET ?`, reading one row
   * more than the page so the caller knows whether another page follows.
   */
  page(
    columns: string,
    from: string,
    page: { maxResults: number; offset: number },
  ): { sql: string; params: SqlValue[] } {
    const joins = this.joins();
    const where = this.whereClause();
    const joinSql = joins.sql ? ` ${joins.sql}` : '';
    return {
      sql:
        `SELECT ${columns} FROM ${from}${joinSql}${where.sql}${orderByClause(this.order)}` +
        ' LIMIT ? OFFSET ?',
      params: [...joins.params, ...where.params, page.maxResults + 1, page.offset],
    };
  }
}

/** ` ORDER BY k1 ASC, k2 DESC`, or nothing. */
export function orderByClause(keys: readonly { expression: string; direction: string }[]): string {
  return keys.length
    ? ` ORDER BY ${keys.map((k) => `${k.expression} ${k.direction}`).join(', ')}`
    : '';
}

/**
 * `<column> <comparator> ?` for one parsed filter clause, pushing its values. LIKE is
 * case-sensitive on both dialects (utf8mb4_bin columns on MySQL, `PRAGMA case_sensitive_like` on
 * SQLite); ILIKE compares lower-cased text.
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

export function unsupported(what: string): MlflowError {
  return MlflowError.invalidParameterValue(`Unsupported search term: ${what}`);
}
