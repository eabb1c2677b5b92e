import {
  DATASET_CONTEXT_TAG,
  DatasetSummary,
  FilterClause,
  lifecycleStagesFor,
  MlflowError,
  OrderByClause,
  Run,
  SearchRunsQuery,
} from '@app/domain';

import { SqlRunner, SqlValue } from '../sql-executor';
import { requireReadableExperiment } from './access-predicates';
import { experimentKeys } from './experiment-lookup';
import { hydrateRuns, RUN_COLUMNS, toRunRow } from './run-rows';
import {
  comparisonSql,
  JoinRole,
  orderByClause,
  SearchColumns,
  SearchStatement,
  unsupported,
} from './search-builder';
import { num, placeholders, q, str } from './sql-helpers';

/**
 * Most values one search may bind: SQLite refuses statements with more than 32,766 parameters,
 * and a refusal must be a 400, not a driver error.
 */
const MAX_BOUND_VALUES = 30_000;

/** Filterable run attributes and their columns (canonical keys from the filter parser). */
const ATTRIBUTE_COLUMNS: Readonly<Record<string, string>> = {
  run_id: 'r.run_uuid',
  run_name: 'r.name',
  status: 'r.status',
  user_id: 'r.user_id',
  artifact_uri: 'r.artifact_uri',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
};

/**
 * Sort expressions of the orderable attributes, and whether they can be NULL. MLflow on
 * MySQL/MariaDB sorts strings in the database's case-insensitive collation (search.json
 * `order-by-run-name-desc` puts `Search-Epsilon` between `search-gamma` and `search-delta`); our
 * columns are utf8mb4_bin, so the case folding is spelled out, and the same on SQLite. Run ids are
 * lowercase hex already.
 */
const ORDER_EXPRESSIONS: Readonly<Record<string, { expression: string; nullable: boolean }>> = {
  run_id: { expression: 'r.run_uuid', nullable: false },
  run_name: { expression: 'LOWER(r.name)', nullable: false },
  status: { expression: 'r.status', nullable: false },
  user_id: { expression: 'LOWER(r.user_id)', nullable: false },
  artifact_uri: { expression: 'LOWER(r.artifact_uri)', nullable: false },
  start_time: { expression: 'r.start_time', nullable: true },
  end_time: { expression: 'r.end_time', nullable: true },
};

/** What a run search filters and sorts on besides metrics and datasets, which it joins itself. */
const RUN_SEARCH: SearchColumns = {
  filterable: ATTRIBUTE_COLUMNS,
  orderable: ORDER_EXPRESSIONS,
  keyValues: {
    param: { table: 'params', ownerMatch: (alias) => `${alias}.run_id = r.id` },
    tag: { table: 'run_tags', ownerMatch: (alias) => `${alias}.run_id = r.id` },
  },
};

/** Whether the stored value 0 satisfies a numeric metric clause. */
function zeroMatches(clause: FilterClause): boolean {
  const value = Number(clause.value);
  switch (clause.comparator) {
    case '=':
      return value === 0;
    case '!=':
      return value !== 0;
    case '>':
      return 0 > value;
    case '>=':
      return 0 >= value;
    case '<':
      return 0 < value;
    case '<=':
      return 0 <= value;
    case 'LIKE':
    case 'ILIKE':
    case 'IN':
    case 'NOT IN':
      return true;
  }
}

const FILTER_JOINS: ReadonlySet<JoinRole> = new Set(['filter']);

interface LeadingMetric {
  alias: string;
  key: string;
  ascending: boolean;
  joinIndex: number;
}

/** A run search: the shared statement, plus the metric and dataset terms only runs have. */
class RunSearch {
  readonly statement = new SearchStatement();
  /** The first sort key when it is a metric: the one a page boundary can be read from. */
  leadingMetric?: LeadingMetric;

  /**
   * Keeps only runs whose leading metric is a real number at least as early in the sort as
   * `boundary`: an inner join on a (key, value) range, so the page is read from that index range
   * instead of sorting every match.
   */
  restrictToBoundary(boundary: number): void {
    const lead = this.leadingMetric!;
    const a = lead.alias;
    this.statement.replaceJoin(
      lead.joinIndex,
      'order',
      `JOIN latest_metrics ${a} ON ${a}.run_id = r.id AND ${a}.${q('key')} = ? AND ${a}.is_nan = 0 AND ${a}.${q('value')} ${lead.ascending ? '<=' : '>='} ?`,
      [lead.key, boundary],
    );
  }

  filter(clause: FilterClause): void {
    if (this.statement.filterBy(RUN_SEARCH, clause)) return;
    if (clause.type === 'dataset') {
      this.datasetCondition(clause);
      return;
    }
    // Latest values only. A NaN latest value never matches; it is stored as value 0, so the
    // is_nan test is only needed when 0 itself matches, and without it the (key, value) index
    // covers the clause.
    const a = this.statement.alias('f');
    const params: SqlValue[] = [clause.key];
    const condition = comparisonSql(`${a}.${q('value')}`, clause.comparator, clause.value, params);
    const notNan = zeroMatches(clause) ? ` AND ${a}.is_nan = 0` : '';
    this.statement.join(
      'filter',
      `JOIN latest_metrics ${a} ON ${a}.run_id = r.id AND ${a}.${q('key')} = ? AND ${condition}${notNan}`,
      params,
    );
  }

  orderBy(clause: OrderByClause): void {
    if (this.statement.sortBy(RUN_SEARCH, clause)) return;
    if (clause.type === 'dataset') throw unsupported(`order_by datasets.${clause.key}`);
    const a = this.statement.alias('o');
    const joinIndex = this.statement.join(
      'order',
      `LEFT JOIN latest_metrics ${a} ON ${a}.run_id = r.id AND ${a}.${q('key')} = ?`,
      [clause.key],
    );
    if (this.statement.order.length === 0) {
      this.leadingMetric = { alias: a, key: clause.key, ascending: clause.ascending, joinIndex };
    }
    // Real numbers, then NaN, then runs without the metric, in both directions (MLflow's CASE).
    this.statement.order.push(
      {
        expression: `CASE WHEN ${a}.run_id IS NULL THEN 2 WHEN ${a}.is_nan = 1 THEN 1 ELSE 0 END`,
        direction: 'ASC',
      },
      { expression: `${a}.${q('value')}`, direction: clause.ascending ? 'ASC' : 'DESC' },
    );
  }

  /** `EXISTS` over the run's dataset inputs (name, digest) or their context input tag. */
  private datasetCondition(clause: FilterClause): void {
    const params: SqlValue[] = [];
    if (clause.key === 'context') {
      params.push(DATASET_CONTEXT_TAG);
      const condition = comparisonSql(`dt.${q('value')}`, clause.comparator, clause.value, params);
      this.statement.whereSql(
        `EXISTS (SELECT 1 FROM run_dataset_input_tags dt WHERE dt.run_id = r.id AND dt.${q('key')} = ? AND ${condition})`,
        params,
      );
      return;
    }
    if (clause.key !== 'name' && clause.key !== 'digest') {
      throw unsupported(`datasets.${clause.key}`);
    }
    const condition = comparisonSql(`d.${clause.key}`, clause.comparator, clause.value, params);
    this.statement.whereSql(
      `EXISTS (SELECT 1 FROM run_dataset_inputs di JOIN datasets d ON d.dataset_id = di.dataset_id WHERE di.run_id = r.id AND ${condition})`,
      params,
    );
  }
}

/**
 * One page of runs in one statement, then their data with one query per child table. The inner
 * query filters, sorts and cuts the page carrying only the run's key and its sort keys (a wide
 * sort row would spill MariaDB's temporary table to disk); the outer one reads the page's columns.
 * Like MLflow, a page that comes back full reports `hasMore` even when nothing follows
 * (search.json `pagination-full-last-page`).
 */
export async function searchRuns(
  sql: SqlRunner,
  query: SearchRunsQuery,
): Promise<{ items: Run[]; hasMore: boolean }> {
  const experimentIds = experimentKeys(query.experimentIds);
  if (experimentIds.length === 0 || query.maxResults <= 0) return { items: [], hasMore: false };
  const search = new RunSearch();
  const { statement } = search;
  const stages = lifecycleStagesFor(query.viewType);
  statement.require(`r.experiment_id IN (${placeholders(experimentIds.length)})`, experimentIds);
  statement.require(`r.lifecycle_stage IN (${placeholders(stages.length)})`, stages);
  requireReadableExperiment(statement, query.readableBy, 'r.experiment_id');
  query.filter.forEach((clause) => search.filter(clause));
  query.orderBy.forEach((clause) => search.orderBy(clause));
  const boundValues = statement.boundValueCount() + BOUNDARY_QUERY_EXTRA_VALUES;
  if (boundValues > MAX_BOUND_VALUES) {
    throw MlflowError.invalidParameterValue(
      `The search is too large: its experiment ids and filter values come to ${boundValues} values, more than ${MAX_BOUND_VALUES}.`,
    );
  }
  const boundary = await leadingMetricBoundary(sql, search, query.offset + query.maxResults);
  if (boundary !== undefined) search.restrictToBoundary(boundary);
  const joins = statement.joins();
  const where = statement.whereClause();
  const keys = statement.order.map((key, i) => ({ ...key, alias: `s${i}` }));
  const inner =
    `SELECT r.id AS id${keys.map((k) => `, ${k.expression} AS ${k.alias}`).join('')}` +
    ` FROM runs r ${joins.sql}${where.sql}` +
    orderByClause(keys.map((k) => ({ expression: k.alias, direction: k.direction }))) +
    ' LIMIT ? OFFSET ?';
  const statementSql =
    `SELECT ${RUN_COLUMNS} FROM (${inner}) page JOIN runs r ON r.id = page.id` +
    orderByClause(keys.map((k) => ({ expression: `page.${k.alias}`, direction: k.direction })));
  const params = [...joins.params, ...where.params, query.maxResults, query.offset];
  const rows = await sql.select(statementSql, params);
  const items = await hydrateRuns(sql, rows.map(toRunRow));
  return { items, hasMore: rows.length === query.maxResults };
}

/** Values the boundary query binds besides the filters: key twice, scan size, offset. */
const BOUNDARY_QUERY_EXTRA_VALUES = 4;
/** How many of the key's best values the boundary query reads per run it must find. */
const BOUNDARY_SCAN_FACTOR = 10;
/** Beyond this many index entries, reading the boundary first costs more than it saves. */
const MAX_BOUNDARY_SCAN = 30_000;

/**
 * The leading metric's value at sort position `position` (1-based) among the matching runs, when
 * it is a real number found within the key's `BOUNDARY_SCAN_FACTOR × position` best values.
 *
 * Without it, ordering by a metric makes the database join and sort every match before it can cut
 * the page (O(matches): 350 ms at 100k runs). Reading the key's best values from the (key, value)
 * index first and filtering only those finds the page's last value in a few ms; the page query
 * then restricted to values at least that good returns the same rows in the same order (every run
 * before the boundary has a value at least as good, ties included). When the matches are too
 * sparse among the best values, or the page reaches NaN or missing values, there is no boundary
 * and the page query runs unrestricted.
 */
async function leadingMetricBoundary(
  sql: SqlRunner,
  search: RunSearch,
  position: number,
): Promise<number | undefined> {
  const lead = search.leadingMetric;
  const scan = position * BOUNDARY_SCAN_FACTOR;
  if (!lead || scan > MAX_BOUNDARY_SCAN) return undefined;
  const direction = lead.ascending ? 'ASC' : 'DESC';
  const filters = search.statement.joins(FILTER_JOINS);
  const where = search.statement.whereClause();
  const rows = await sql.select(
    // The scan reads the (key, value) index alone; is_nan is not in it, so NaN points (stored as
    // 0) are dropped by the join below, which only runs for the rows read before the LIMIT.
    `SELECT best.v FROM (SELECT lm.run_id, lm.${q('value')} AS v FROM latest_metrics lm` +
      ` WHERE lm.${q('key')} = ? ORDER BY lm.${q('value')} ${direction} LIMIT ?) best` +
      ` JOIN latest_metrics real_value ON real_value.run_id = best.run_id AND real_value.${q('key')} = ? AND real_value.is_nan = 0` +
      ` JOIN runs r ON r.id = best.run_id ${filters.sql}${where.sql}` +
      ` ORDER BY best.v ${direction} LIMIT 1 OFFSET ?`,
    [lead.key, scan, lead.key, ...filters.params, ...where.params, position - 1],
  );
  return rows.length > 0 ? num(rows[0].v) : undefined;
}

/** MLflow's cap on dataset summaries (`_search_datasets`). */
const MAX_DATASET_SUMMARIES = 1000;

/**
 * Distinct (experiment, dataset name, digest, context) over the experiments' run inputs; an input
 * without a context tag gives a summary without context.
 */
export async function searchDatasets(
  sql: SqlRunner,
  experimentIds: string[],
): Promise<DatasetSummary[]> {
  const ids = experimentKeys(experimentIds);
  if (ids.length === 0) return [];
  const rows = await sql.select(
    `SELECT DISTINCT d.experiment_id, d.name, d.digest, t.${q('value')} AS context` +
      ' FROM datasets d JOIN run_dataset_inputs i ON i.dataset_id = d.dataset_id' +
      ` LEFT JOIN run_dataset_input_tags t ON t.run_id = i.run_id AND t.dataset_id = i.dataset_id AND t.${q('key')} = ?` +
      ` WHERE d.experiment_id IN (${placeholders(ids.length)})` +
      ' ORDER BY d.experiment_id, d.name, d.digest, context LIMIT ?',
    [DATASET_CONTEXT_TAG, ...ids, MAX_DATASET_SUMMARIES],
  );
  return rows.map((row) => ({
    experimentId: String(num(row.experiment_id)),
    name: str(row.name),
    digest: str(row.digest),
    ...(row.context === null || row.context === undefined ? {} : { context: str(row.context) }),
  }));
}
