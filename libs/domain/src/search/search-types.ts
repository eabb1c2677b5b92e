/** Parsed form of MLflow search filters and order_by clauses (grammar: mlflow-rest-api.md §5). */
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export type SearchEntityType =
  'metric' | 'param' | 'tag' | 'attribute' | 'dataset' | 'request_metadata';

/** What is being searched; decides the allowed identifiers, comparators and order_by keys. */
export type SearchTarget =
  'runs' | 'experiments' | 'registered-models' | 'model-versions' | 'logged-models' | 'traces';

/**
 * One `identifier comparator value` comparison. Attribute keys are canonical
 * (`created` → `start_time`, `"run name"` → `run_name`, `timestamp` → `last_updated_timestamp`).
 * `value` is a number for numeric comparisons, a string for string ones, and a string list for
 * IN / NOT IN.
 */
export interface FilterClause {
  type: SearchEntityType;
  key: string;
  comparator: Comparator;
  value: string | number | string[];
}

export interface OrderByClause {
  type: SearchEntityType;
  key: string;
  ascending: boolean;
}
