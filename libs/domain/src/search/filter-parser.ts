/**
 * The MLflow search filter grammar (mlflow-rest-api.md §5): comparisons joined by AND, checked per
 * search target and turned into canonical {@link FilterClause}s. A real tokenizer, never a regex
 * split, so `params.p = 'a and b'` stays one clause. Messages follow MLflow's wording
 * (`mlflow/utils/search_utils.py`) where the real server's answers are known.
 */
import { MlflowError } from '../errors';
import { pythonList, pythonSet, pythonTuple } from '../rules/python-repr';
import {
  ATTRIBUTE_TAG_PREFIXES,
  ENTITY_DISPLAY_NAME,
  invalid,
  isKeyword,
  LIST_COMPARATORS,
  MAX_FILTER_CLAUSES,
  MAX_FILTER_LENGTH,
  MAX_IN_LIST_VALUES,
  NUMERIC_COMPARATORS,
  RESERVED_WORDS,
  resolveIdentifier,
  RUN_ENTITY_NAMES,
  RUN_ENTITY_PREFIXES,
  STRING_COMPARATORS,
  Token,
  tokenize,
  TRACE_ENTITY_PREFIXES,
  unquote,
} from './search-syntax';
import { Comparator, FilterClause, SearchEntityType, SearchTarget } from './search-types';

/** How one filterable attribute is compared. */
export interface FilterAttributeSpec {
  /** The canonical key reported in {@link FilterClause.key}. */
  key: string;
  kind: 'string' | 'numeric';
  /** Whether IN / NOT IN with a list of strings is accepted. */
  list?: boolean;
}

interface FilterGrammar {
  prefixes: Readonly<Record<string, SearchEntityType>>;
  invalidEntityMessage: (entity: string) => string;
  /** Accepted attribute spellings (aliases included) and what they mean. */
  attributes: Readonly<Record<string, FilterAttributeSpec>>;
  /** The keys MLflow lists in its "Invalid attribute key" message, in its order. */
  attributeKeysForMessage: readonly string[];
  /** The list comparators string attributes with `list: true` accept. */
  attributeListComparators: readonly Comparator[];
  /** Message for a list value on an attribute that does not take lists. */
  attributeListMessage: string;
  /** Keyword comparators (`like`, `not in`) are upper-cased before they are checked. */
  upperCaseKeywords: boolean;
  /** Invalid clauses are listed in single quotes (the runs wording) or bare (the others). */
  quoteInvalidClauses: boolean;
}

const DATASET_KEYS = ['name', 'digest', 'context'];

/** How many invalid clauses an error message lists before it stops. */
const MAX_LISTED_INVALID_CLAUSES = 20;

const str = (key: string, list = false): FilterAttributeSpec => ({ key, kind: 'string', list });
const num = (key: string): FilterAttributeSpec => ({ key, kind: 'numeric' });

const registryEntityMessage = (entity: string) =>
  `Invalid entity type '${entity}'. Valid entity types are ${pythonTuple(Object.keys(ATTRIBUTE_TAG_PREFIXES))}`;

const RUN_ATTRIBUTES: Record<string, FilterAttributeSpec> = {
  run_id: str('run_id', true),
  run_name: str('run_name'),
  'run name': str('run_name'),
  'Run name': str('run_name'),
  'Run Name': str('run_name'),
  status: str('status'),
  user_id: str('user_id'),
  artifact_uri: str('artifact_uri'),
  start_time: num('start_time'),
  end_time: num('end_time'),
  created: num('start_time'),
  Created: num('start_time'),
};

const { dataset: _dataset, datasets: _datasets, ...LOGGED_MODEL_PREFIXES } = RUN_ENTITY_PREFIXES;

const LOGGED_MODEL_ATTRIBUTES: Record<string, FilterAttributeSpec> = {
  name: str('name'),
  model_id: str('model_id', true),
  model_type: str('model_type'),
  status: str('status'),
  source_run_id: str('source_run_id', true),
  creation_timestamp: num('creation_timestamp'),
  creation_time: num('creation_timestamp'),
  last_updated_timestamp: num('last_updated_timestamp'),
  last_updated_time: num('last_updated_timestamp'),
};

const MODEL_VERSION_ATTRIBUTES: Record<string, FilterAttributeSpec> = {
  name: str('name'),
  run_id: str('run_id', true),
  source_path: str('source_path'),
  version_number: num('version_number'),
};

/**
 * `SearchTraceUtils`' attributes: `name` is the `mlflow.traceName` tag and `run_id` the
 * `mlflow.sourceRun` metadata (or a link made by traces/link-to-run).
 */
const TRACE_ATTRIBUTES: Record<string, FilterAttributeSpec> = {
  request_id: str('request_id', true),
  timestamp_ms: num('timestamp_ms'),
  timestamp: num('timestamp_ms'),
  execution_time_ms: num('execution_time_ms'),
  execution_time: num('execution_time_ms'),
  status: str('status', true),
  name: str('name', true),
  run_id: str('run_id', true),
};

const FILTER_GRAMMARS: Readonly<Record<SearchTarget, FilterGrammar>> = {
  runs: {
    prefixes: RUN_ENTITY_PREFIXES,
    invalidEntityMessage: (e) =>
      `Invalid entity type '${e}'. Valid values are ${pythonList(RUN_ENTITY_NAMES)}`,
    attributes: RUN_ATTRIBUTES,
    attributeKeysForMessage: Object.keys(RUN_ATTRIBUTES),
    attributeListComparators: LIST_COMPARATORS,
    attributeListMessage:
      "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
    upperCaseKeywords: true,
    quoteInvalidClauses: true,
  },
  'logged-models': {
    prefixes: LOGGED_MODEL_PREFIXES,
    invalidEntityMessage: (e) =>
      `Invalid entity type '${e}'. Valid values are ${pythonList(RUN_ENTITY_NAMES.filter((n) => n !== 'dataset'))}`,
    attributes: LOGGED_MODEL_ATTRIBUTES,
    attributeKeysForMessage: Object.keys(LOGGED_MODEL_ATTRIBUTES),
    attributeListComparators: LIST_COMPARATORS,
    attributeListMessage:
      "Only the 'model_id' and 'source_run_id' attributes support comparison with a list of quoted string values.",
    upperCaseKeywords: true,
    quoteInvalidClauses: true,
  },
  traces: {
    prefixes: TRACE_ENTITY_PREFIXES,
    invalidEntityMessage: (e) =>
      `Invalid entity type '${e}'. Valid values are ${pythonList(['attribute', 'tag', 'request_metadata'])}`,
    attributes: TRACE_ATTRIBUTES,
    attributeKeysForMessage: Object.keys(TRACE_ATTRIBUTES),
    attributeListComparators: LIST_COMPARATORS,
    attributeListMessage:
      "Only the 'request_id', 'status', 'name' and 'run_id' attributes support comparison with a list of quoted string values.",
    upperCaseKeywords: true,
    quoteInvalidClauses: true,
  },
  experiments: {
    prefixes: ATTRIBUTE_TAG_PREFIXES,
    invalidEntityMessage: registryEntityMessage,
    attributes: {
      name: str('name'),
      creation_time: num('creation_time'),
      last_update_time: num('last_update_time'),
    },
    attributeKeysForMessage: ['name', 'creation_time', 'last_update_time'],
    attributeListComparators: [],
    attributeListMessage: 'Experiment attributes do not support comparison with a list of values.',
    upperCaseKeywords: false,
    quoteInvalidClauses: false,
  },
  'registered-models': {
    prefixes: ATTRIBUTE_TAG_PREFIXES,
    invalidEntityMessage: registryEntityMessage,
    attributes: { name: str('name') },
    attributeKeysForMessage: ['name'],
    attributeListComparators: [],
    attributeListMessage:
      'Registered model attributes do not support comparison with a list of values.',
    upperCaseKeywords: true,
    quoteInvalidClauses: false,
  },
  'model-versions': {
    prefixes: ATTRIBUTE_TAG_PREFIXES,
    invalidEntityMessage: registryEntityMessage,
    attributes: MODEL_VERSION_ATTRIBUTES,
    // The order the real server printed this set in (registry.json).
    attributeKeysForMessage: ['source_path', 'run_id', 'version_number', 'name'],
    attributeListComparators: ['IN'],
    attributeListMessage:
      "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
    upperCaseKeywords: true,
    quoteInvalidClauses: false,
  },
};

type RawValue =
  | { kind: 'string'; raw: string; value: string }
  | { kind: 'name'; raw: string }
  | { kind: 'number'; raw: string; value: number }
  | { kind: 'list'; raw: string; values: string[] };

interface RawComparison {
  identifier: string;
  comparator: string;
  value: RawValue;
}

/**
 * Parses an MLflow search filter for `target`. An absent, empty or blank filter gives `[]`. Every
 * problem throws INVALID_PARAMETER_VALUE.
 */
export function parseSearchFilter(
  filter: string | undefined,
  target: SearchTarget,
): FilterClause[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'string') {
    throw invalid(`Invalid filter: expected a string, got ${typeof filter}.`);
  }
  if (filter.length > MAX_FILTER_LENGTH) {
    throw invalid(
      `Invalid filter: the filter string has ${filter.length} characters, more than the maximum of ${MAX_FILTER_LENGTH}.`,
    );
  }
  if (filter.trim() === '') return [];
  const grammar = FILTER_GRAMMARS[target];
  const tokens = tokenize(filter, (problem) =>
    invalid(`Invalid filter '${filter}'. Could not be parsed: ${problem}.`),
  );
  const comparisons = parseStatement(filter, tokens, grammar);
  return comparisons.map((c) => toClause(c, grammar));
}

function invalidClauses(clauses: string[], grammar: FilterGrammar): MlflowError {
  const shown = clauses.slice(0, MAX_LISTED_INVALID_CLAUSES);
  const listed = grammar.quoteInvalidClauses ? shown.map((c) => `'${c}'`) : shown;
  const more = clauses.length > shown.length ? ', ...' : '';
  return invalid(`Invalid clause(s) in filter string: ${listed.join(', ')}${more}`);
}

/** Splits the statement into comparisons, collecting everything that is not a comparison or AND. */
function parseStatement(filter: string, tokens: Token[], grammar: FilterGrammar): RawComparison[] {
  const comparisons: RawComparison[] = [];
  const invalids: string[] = [];
  let expectComparison = true;
  let danglingAnd: Token | undefined;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (isKeyword(token, 'AND')) {
      if (expectComparison) invalids.push(token.raw);
      else danglingAnd = token;
      expectComparison = true;
      i++;
    } else if (token.kind === 'name' && !isKeyword(token, ...RESERVED_WORDS)) {
      const { comparison, next } = parseComparison(filter, tokens, i, grammar);
      if (expectComparison) {
        comparisons.push(comparison);
        if (comparisons.length > MAX_FILTER_CLAUSES) {
          throw invalid(
            `Invalid filter: more than ${MAX_FILTER_CLAUSES} comparisons joined by AND.`,
          );
        }
      } else {
        // Two comparisons with nothing joining them.
        invalids.push(filter.slice(token.start, tokens[next - 1].end));
      }
      expectComparison = false;
      danglingAnd = undefined;
      i = next;
    } else if (token.kind === ';') {
      if (i < tokens.length - 1) {
        throw invalid(
          `Search filter contained multiple expression '${filter}'. Provide AND-ed expression list.`,
        );
      }
      invalids.push(token.raw);
      i++;
    } else if (token.kind === '(') {
      const close = matchingParenthesis(tokens, i);
      const end = close < 0 ? filter.length : tokens[close].end;
      invalids.push(filter.slice(token.start, end));
      expectComparison = true;
      i = close < 0 ? tokens.length : close + 1;
    } else {
      // OR, NOT, stray values, operators and punctuation.
      invalids.push(token.raw);
      expectComparison = true;
      i++;
    }
  }
  if (danglingAnd) invalids.push(danglingAnd.raw);
  if (invalids.length > 0) throw invalidClauses(invalids, grammar);
  return comparisons;
}

function matchingParenthesis(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].kind === '(') depth++;
    if (tokens[i].kind === ')' && --depth === 0) return i;
  }
  return -1;
}

/** `identifier comparator value`, starting at the identifier token `start`. */
function parseComparison(
  filter: string,
  tokens: Token[],
  start: number,
  grammar: FilterGrammar,
): { comparison: RawComparison; next: number } {
  const identifier = tokens[start].raw;
  let i = start + 1;
  const first = tokens[i];
  let comparator: string;
  if (first?.kind === 'operator' || isKeyword(first, 'LIKE', 'ILIKE', 'IN')) {
    comparator = first.raw;
    i++;
  } else if (isKeyword(first, 'NOT')) {
    const second = tokens[i + 1];
    if (!isKeyword(second, 'IN')) throw invalidClauses([first.raw], grammar);
    comparator = `${first.raw} ${second.raw}`;
    i += 2;
  } else {
    throw invalid(
      `Invalid comparison clause in filter string: expected a comparator after '${identifier}'.`,
    );
  }
  const token = tokens[i];
  const after = `'${identifier} ${comparator}'`;
  if (!token) {
    throw invalid(`Invalid comparison clause in filter string: expected a value after ${after}.`);
  }
  switch (token.kind) {
    case 'string':
      return { comparison: { identifier, comparator, value: { ...token } }, next: i + 1 };
    case 'number':
      return { comparison: { identifier, comparator, value: { ...token } }, next: i + 1 };
    case 'name':
      return {
        comparison: { identifier, comparator, value: { kind: 'name', raw: token.raw } },
        next: i + 1,
      };
    case '(': {
      const { values, next } = parseList(tokens, i);
      const raw = filter.slice(token.start, tokens[next - 1].end);
      return {
        comparison: { identifier, comparator, value: { kind: 'list', raw, values } },
        next,
      };
    }
    case ')':
    case ',':
    case ';':
    case 'operator':
      throw invalid(`Invalid comparison clause in filter string: expected a value after ${after}.`);
  }
}

const ILL_FORMED_LIST =
  'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.';

/** `('a', "b")` starting at the `(` token. */
function parseList(tokens: Token[], open: number): { values: string[]; next: number } {
  let i = open + 1;
  if (tokens[i]?.kind === ')') {
    throw invalid(
      'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
    );
  }
  const values: string[] = [];
  for (;;) {
    const item = tokens[i];
    if (item?.kind === 'string') {
      values.push(item.value);
    } else if (item?.kind === 'name' && unquote(item.raw)?.quote === '"') {
      values.push(item.raw.slice(1, -1));
    } else {
      throw invalid(ILL_FORMED_LIST);
    }
    if (values.length > MAX_IN_LIST_VALUES) {
      throw invalid(`Invalid filter: an IN list has more than ${MAX_IN_LIST_VALUES} values.`);
    }
    const separator = tokens[i + 1];
    if (separator?.kind === ')') return { values, next: i + 2 };
    if (separator?.kind !== ',') throw invalid(ILL_FORMED_LIST);
    i += 2;
  }
}

/** What a clause on one identifier accepts. */
interface ClauseRules {
  kind: 'string' | 'numeric';
  comparators: readonly Comparator[];
  list: boolean;
  /** Error text for a number where a string was expected. */
  numberForString: (raw: string) => string;
  /** Error text for a string where a number was expected. */
  stringForNumber: (raw: string) => string;
  /** Error text for a list where no list is accepted. */
  listNotAccepted: (raw: string) => string;
  /** MLflow leaves the closing quote off some of its "Invalid comparator" messages. */
  closeComparatorQuote: boolean;
}

function rulesFor(type: SearchEntityType, key: string, grammar: FilterGrammar): ClauseRules {
  switch (type) {
    case 'metric':
      return {
        kind: 'numeric',
        comparators: NUMERIC_COMPARATORS,
        list: false,
        numberForString: () => '',
        stringForNumber: (raw) => `Expected numeric value type for metric. Found ${raw}`,
        listNotAccepted: (raw) => `Expected numeric value type for metric. Found ${raw}`,
        closeComparatorQuote: false,
      };
    case 'param':
    case 'tag':
    case 'request_metadata': {
      const expected = (raw: string) =>
        `Expected a quoted string value for ${ENTITY_DISPLAY_NAME[type]} (e.g. 'my-value'). Got value ${raw}`;
      return {
        kind: 'string',
        comparators: STRING_COMPARATORS,
        list: false,
        numberForString: expected,
        stringForNumber: () => '',
        listNotAccepted: expected,
        closeComparatorQuote: type === 'param',
      };
    }
    case 'dataset': {
      if (!DATASET_KEYS.includes(key)) {
        throw invalid(
          `Invalid dataset key '${key}' specified. Valid keys are '${pythonSet(DATASET_KEYS)}'`,
        );
      }
      const expected = (raw: string) =>
        `Expected a quoted string value for dataset attributes. Got value ${raw}`;
      return {
        kind: 'string',
        comparators: [...STRING_COMPARATORS, ...LIST_COMPARATORS],
        list: true,
        numberForString: expected,
        stringForNumber: () => '',
        listNotAccepted: expected,
        closeComparatorQuote: false,
      };
    }
    case 'attribute': {
      const spec = Object.prototype.hasOwnProperty.call(grammar.attributes, key)
        ? grammar.attributes[key]
        : undefined;
      if (!spec) {
        throw invalid(
          `Invalid attribute key '${key}' specified. Valid keys are '${pythonSet(grammar.attributeKeysForMessage)}'`,
        );
      }
      if (spec.kind === 'numeric') {
        return {
          kind: 'numeric',
          comparators: NUMERIC_COMPARATORS,
          list: false,
          numberForString: () => '',
          stringForNumber: (raw) =>
            `Expected numeric value type for numeric attribute: ${key}. Found ${raw}`,
          listNotAccepted: (raw) =>
            `Expected numeric value type for numeric attribute: ${key}. Found ${raw}`,
          closeComparatorQuote: false,
        };
      }
      const list = spec.list === true && grammar.attributeListComparators.length > 0;
      return {
        kind: 'string',
        comparators: list
          ? [...STRING_COMPARATORS, ...grammar.attributeListComparators]
          : STRING_COMPARATORS,
        list,
        numberForString: (raw) => `Expected a quoted string value for attributes. Got value ${raw}`,
        stringForNumber: () => '',
        listNotAccepted: () => grammar.attributeListMessage,
        closeComparatorQuote: true,
      };
    }
  }
}

function canonicalKey(type: SearchEntityType, key: string, grammar: FilterGrammar): string {
  return type === 'attribute' ? grammar.attributes[key].key : key;
}

function toClause(comparison: RawComparison, grammar: FilterGrammar): FilterClause {
  const { type, key } = resolveIdentifier(
    comparison.identifier,
    grammar.prefixes,
    grammar.invalidEntityMessage,
  );
  const rules = rulesFor(type, key, grammar);
  const value = clauseValue(comparison.value, rules);
  const comparator = grammar.upperCaseKeywords
    ? comparison.comparator.toUpperCase()
    : comparison.comparator;
  if (!(rules.comparators as readonly string[]).includes(comparator)) {
    throw invalid(
      `Invalid comparator '${comparator}' not one of '${pythonSet(rules.comparators)}${rules.closeComparatorQuote ? "'" : ''}`,
    );
  }
  const isListComparator = comparator === 'IN' || comparator === 'NOT IN';
  if (Array.isArray(value) && !isListComparator) {
    throw invalid(
      `Invalid comparator '${comparator}' for a list of values. Use IN or NOT IN with a list.`,
    );
  }
  if (!Array.isArray(value) && isListComparator) {
    throw invalid(
      `Expected a list of quoted string values after '${comparator}', e.g. ${comparator} ('a', 'b'). Got value ${comparison.value.raw}`,
    );
  }
  return {
    type,
    key: canonicalKey(type, key, grammar),
    comparator: comparator as Comparator,
    value,
  };
}

function clauseValue(value: RawValue, rules: ClauseRules): string | number | string[] {
  if (rules.kind === 'numeric') {
    if (value.kind === 'number' && Number.isFinite(value.value)) return value.value;
    if (value.kind === 'list') throw invalid(rules.listNotAccepted(value.raw));
    throw invalid(rules.stringForNumber(value.raw));
  }
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'name': {
      const unquoted = unquote(value.raw);
      if (unquoted?.quote === '"') return unquoted.text;
      throw invalid(
        `Parameter value is either not quoted or unidentified quote types used for string value ${value.raw}. Use either single or double quotes.`,
      );
    }
    case 'number':
      throw invalid(rules.numberForString(value.raw));
    case 'list':
      if (!rules.list) throw invalid(rules.listNotAccepted(value.raw));
      return value.values;
  }
}
