/**
 * MLflow `order_by` entries (`"<identifier> [ASC|DESC]"`, mlflow-rest-api.md §5.1–5.4), checked per
 * search target and completed with MLflow's default order and tiebreaks, so the SQL layer applies
 * the returned clauses in order and nothing else.
 */
import { pythonList, pythonSet, pythonTuple } from '../rules/python-repr';
import {
  ATTRIBUTE_TAG_PREFIXES,
  invalid,
  MAX_ORDER_BY_CLAUSE_LENGTH,
  MAX_ORDER_BY_CLAUSES,
  resolveIdentifier,
  RUN_ENTITY_NAMES,
  RUN_ENTITY_PREFIXES,
  tokenize,
  TRACE_ENTITY_PREFIXES,
} from './search-syntax';
import { OrderByClause, SearchEntityType, SearchTarget } from './search-types';

/** One `order_by` entry of `logged-models/search`, which the API sends as an object. */
export interface LoggedModelOrderByField {
  field_name: string;
  ascending?: boolean;
}

interface OrderGrammar {
  prefixes: Readonly<Record<string, SearchEntityType>>;
  invalidEntityMessage: (entity: string) => string;
  /** Entity types other than `attribute` that can be ordered on, with any key. */
  keyedEntities: readonly SearchEntityType[];
  /** Orderable attribute spellings → canonical key. */
  attributes: Readonly<Record<string, string>>;
  invalidAttributeMessage: (key: string) => string;
  /** The clauses used when the request gives none. */
  defaults: readonly OrderByClause[];
  /** Tiebreaks appended (each only when its key was not already used). */
  tiebreaks: readonly OrderByClause[];
}

const attr = (key: string, ascending: boolean): OrderByClause => ({
  type: 'attribute',
  key,
  ascending,
});

const attributeKeyMessage = (keys: readonly string[]) => (key: string) =>
  `Invalid attribute key '${key}' specified. Valid keys are '${pythonSet(keys)}'`;

const registryEntityMessage = (entity: string) =>
  `Invalid entity type '${entity}'. Valid entity types are ${pythonTuple(Object.keys(ATTRIBUTE_TAG_PREFIXES))}`;

const RUN_ORDER_ATTRIBUTES: Record<string, string> = {
  run_id: 'run_id',
  run_name: 'run_name',
  user_id: 'user_id',
  status: 'status',
  start_time: 'start_time',
  end_time: 'end_time',
  artifact_uri: 'artifact_uri',
  created: 'start_time',
  Created: 'start_time',
};

const EXPERIMENT_ORDER_ATTRIBUTES: Record<string, string> = {
  name: 'name',
  experiment_id: 'experiment_id',
  creation_time: 'creation_time',
  last_update_time: 'last_update_time',
};

const MODEL_VERSION_ORDER_ATTRIBUTES: Record<string, string> = {
  name: 'name',
  version_number: 'version_number',
  creation_timestamp: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
};

const LOGGED_MODEL_ORDER_ATTRIBUTES: Record<string, string> = {
  name: 'name',
  model_id: 'model_id',
  model_type: 'model_type',
  status: 'status',
  source_run_id: 'source_run_id',
  creation_timestamp: 'creation_timestamp',
  creation_time: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
  last_updated_time: 'last_updated_timestamp',
};

const LOGGED_MODEL_TIEBREAKS: readonly OrderByClause[] = [
  attr('creation_timestamp', false),
  attr('model_id', true),
];

const { dataset: _dataset, datasets: _datasets, ...LOGGED_MODEL_PREFIXES } = RUN_ENTITY_PREFIXES;

const TRACE_ORDER_ATTRIBUTES: Record<string, string> = {
  experiment_id: 'experiment_id',
  timestamp_ms: 'timestamp_ms',
  timestamp: 'timestamp_ms',
  execution_time_ms: 'execution_time_ms',
  execution_time: 'execution_time_ms',
  status: 'status',
  request_id: 'request_id',
};

const ORDER_GRAMMARS: Readonly<Record<SearchTarget, OrderGrammar>> = {
  runs: {
    prefixes: RUN_ENTITY_PREFIXES,
    invalidEntityMessage: (e) =>
      `Invalid entity type '${e}'. Valid values are ${pythonList(RUN_ENTITY_NAMES)}`,
    keyedEntities: ['metric', 'param', 'tag'],
    attributes: RUN_ORDER_ATTRIBUTES,
    invalidAttributeMessage: attributeKeyMessage(Object.keys(RUN_ORDER_ATTRIBUTES)),
    defaults: [],
    tiebreaks: [attr('start_time', false), attr('run_id', true)],
  },
  experiments: {
    prefixes: ATTRIBUTE_TAG_PREFIXES,
    invalidEntityMessage: registryEntityMessage,
    keyedEntities: [],
    attributes: EXPERIMENT_ORDER_ATTRIBUTES,
    invalidAttributeMessage: attributeKeyMessage(Object.keys(EXPERIMENT_ORDER_ATTRIBUTES)),
    defaults: [attr('creation_time', false), attr('experiment_id', true)],
    // MLflow's SQL store appends experiment_id DESC (contract §5.2).
    tiebreaks: [attr('experiment_id', false)],
  },
  'registered-models': {
    prefixes: ATTRIBUTE_TAG_PREFIXES,
    invalidEntityMessage: registryEntityMessage,
    keyedEntities: [],
    attributes: {
      name: 'name',
      timestamp: 'last_updated_timestamp',
      last_updated_timestamp: 'last_updated_timestamp',
    },
    // The set the real server printed (registry.json): it names only the recommended keys.
    invalidAttributeMessage: (key) =>
      `Invalid order by key '${key}' specified. Valid keys are '${pythonSet(['timestamp', 'name'])}'`,
    defaults: [],
    tiebreaks: [attr('name', true)],
  },
  'model-versions': {
    prefixes: ATTRIBUTE_TAG_PREFIXES,
    invalidEntityMessage: registryEntityMessage,
    keyedEntities: [],
    attributes: MODEL_VERSION_ORDER_ATTRIBUTES,
    invalidAttributeMessage: attributeKeyMessage(Object.keys(MODEL_VERSION_ORDER_ATTRIBUTES)),
    defaults: [attr('last_updated_timestamp', false)],
    tiebreaks: [attr('name', true), attr('version_number', false)],
  },
  traces: {
    prefixes: TRACE_ENTITY_PREFIXES,
    invalidEntityMessage: (e) =>
      `Invalid entity type '${e}'. Valid values are ${pythonList(['attribute', 'tag', 'request_metadata'])}`,
    keyedEntities: ['tag', 'request_metadata'],
    attributes: TRACE_ORDER_ATTRIBUTES,
    invalidAttributeMessage: attributeKeyMessage(Object.keys(TRACE_ORDER_ATTRIBUTES)),
    defaults: [],
    // MLflow's SQL store: timestamp_ms DESC unless ordered on, then request_id.
    tiebreaks: [attr('timestamp_ms', false), attr('request_id', true)],
  },
  'logged-models': {
    prefixes: LOGGED_MODEL_PREFIXES,
    invalidEntityMessage: (e) =>
      `Invalid entity type '${e}'. Valid values are ${pythonList(RUN_ENTITY_NAMES.filter((n) => n !== 'dataset'))}`,
    keyedEntities: ['metric'],
    attributes: LOGGED_MODEL_ORDER_ATTRIBUTES,
    invalidAttributeMessage: attributeKeyMessage(Object.keys(LOGGED_MODEL_ORDER_ATTRIBUTES)),
    defaults: [],
    tiebreaks: LOGGED_MODEL_TIEBREAKS,
  },
};

/**
 * Parses the `order_by` strings of a search on `target` and returns them followed by MLflow's
 * default order (when none are given) and tiebreaks. Throws INVALID_PARAMETER_VALUE for an entry
 * that cannot be parsed, an unknown field, or the same field given twice.
 */
export function parseOrderBy(orderBy: string[] | undefined, target: SearchTarget): OrderByClause[] {
  const grammar = ORDER_GRAMMARS[target];
  const entries = orderBy ?? [];
  if (!Array.isArray(entries)) throw invalid('Invalid order_by: expected a list of strings.');
  if (entries.length > MAX_ORDER_BY_CLAUSES) {
    throw invalid(
      `Invalid order_by: ${entries.length} clauses given, more than the maximum of ${MAX_ORDER_BY_CLAUSES}.`,
    );
  }
  const clauses = entries.map((entry) => parseOrderByEntry(entry, grammar));
  rejectDuplicates(clauses, () => pythonList(entries.map(String)));
  return complete(clauses.length > 0 ? clauses : [...grammar.defaults], grammar.tiebreaks);
}

function parseOrderByEntry(entry: unknown, grammar: OrderGrammar): OrderByClause {
  if (typeof entry !== 'string') {
    throw invalid(`Invalid order_by clause '${String(entry)}'. Could not be parsed.`);
  }
  const couldNotParse = () => invalid(`Invalid order_by clause '${entry}'. Could not be parsed.`);
  if (entry.length > MAX_ORDER_BY_CLAUSE_LENGTH) {
    throw invalid(
      `Invalid order_by clause: longer than the maximum of ${MAX_ORDER_BY_CLAUSE_LENGTH} characters.`,
    );
  }
  const tokens = tokenize(entry, couldNotParse);
  const [identifier, direction] = tokens;
  if (tokens.length === 0 || tokens.length > 2 || identifier.kind !== 'name') {
    throw couldNotParse();
  }
  let ascending = true;
  if (direction) {
    if (direction.kind !== 'name') throw couldNotParse();
    const word = direction.raw.toLowerCase();
    if (word !== 'asc' && word !== 'desc') {
      throw invalid(`Invalid ordering key in order_by clause '${entry}'.`);
    }
    ascending = word === 'asc';
  }
  const { type, key } = resolveIdentifier(
    identifier.raw,
    grammar.prefixes,
    grammar.invalidEntityMessage,
  );
  if (type === 'attribute') {
    if (!Object.prototype.hasOwnProperty.call(grammar.attributes, key)) {
      throw invalid(grammar.invalidAttributeMessage(key));
    }
    return { type, key: grammar.attributes[key], ascending };
  }
  if (!grammar.keyedEntities.includes(type)) throw invalid(`Invalid order_by entity: ${type}`);
  return { type, key, ascending };
}

function rejectDuplicates(clauses: OrderByClause[], describe: () => string): void {
  const seen = new Set<string>();
  for (const clause of clauses) {
    const id = `${clause.type}\u0000${clause.key}`;
    if (seen.has(id)) {
      throw invalid(`\`order_by\` contains duplicate fields: ${describe()}`);
    }
    seen.add(id);
  }
}

/** Appends each tiebreak whose field is not ordered on yet. */
function complete(clauses: OrderByClause[], tiebreaks: readonly OrderByClause[]): OrderByClause[] {
  const result = [...clauses];
  for (const tiebreak of tiebreaks) {
    if (!result.some((c) => c.type === tiebreak.type && c.key === tiebreak.key)) {
      result.push({ ...tiebreak });
    }
  }
  return result;
}

/**
 * The `order_by` objects of `logged-models/search` (`{field_name, ascending}`), as clauses followed
 * by the tiebreaks `creation_timestamp DESC, model_id ASC`. `field_name` is an attribute
 * (`name`, `model_id`, `model_type`, `status`, `source_run_id`, `creation_timestamp` /
 * `creation_time`, `last_updated_timestamp` / `last_updated_time`) or `metrics.<key>`;
 * `ascending` defaults to true.
 */
export function loggedModelOrderBy(fields: LoggedModelOrderByField[] | undefined): OrderByClause[] {
  const entries = fields ?? [];
  if (!Array.isArray(entries)) throw invalid('Invalid order_by: expected a list of objects.');
  if (entries.length > MAX_ORDER_BY_CLAUSES) {
    throw invalid(
      `Invalid order_by: ${entries.length} clauses given, more than the maximum of ${MAX_ORDER_BY_CLAUSES}.`,
    );
  }
  const clauses = entries.map((field): OrderByClause => {
    const name: unknown = (field as Partial<LoggedModelOrderByField> | null)?.field_name;
    const ascending: unknown = (field as Partial<LoggedModelOrderByField> | null)?.ascending;
    if (typeof name !== 'string' || name.length === 0) {
      throw invalid("Invalid order_by: every entry needs a non-empty 'field_name'.");
    }
    if (name.length > MAX_ORDER_BY_CLAUSE_LENGTH) {
      throw invalid(
        `Invalid order_by field name: longer than the maximum of ${MAX_ORDER_BY_CLAUSE_LENGTH} characters.`,
      );
    }
    if (ascending !== undefined && ascending !== null && typeof ascending !== 'boolean') {
      throw invalid(`Invalid order_by 'ascending' for field '${name}': expected a boolean.`);
    }
    const isAscending = ascending !== false;
    const dot = name.indexOf('.');
    const prefix = dot < 0 ? undefined : name.slice(0, dot);
    if (prefix === 'metrics' || prefix === 'metric') {
      const key = name.slice(dot + 1);
      if (key.length === 0) throw invalid(`Invalid order_by field name '${name}'.`);
      return { type: 'metric', key, ascending: isAscending };
    }
    if (!Object.prototype.hasOwnProperty.call(LOGGED_MODEL_ORDER_ATTRIBUTES, name)) {
      throw invalid(
        `Invalid order_by field name '${name}'. Valid fields are ` +
          `${pythonList(Object.keys(LOGGED_MODEL_ORDER_ATTRIBUTES))} and 'metrics.<key>'.`,
      );
    }
    return { type: 'attribute', key: LOGGED_MODEL_ORDER_ATTRIBUTES[name], ascending: isAscending };
  });
  rejectDuplicates(clauses, () => pythonList(entries.map((f) => String(f?.field_name))));
  return complete(clauses, LOGGED_MODEL_TIEBREAKS);
}
