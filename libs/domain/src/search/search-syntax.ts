/**
 * Shared pieces of the MLflow search grammar (mlflow-rest-api.md §5): a small tokenizer, identifier
 * splitting, safety limits and Python-style formatting for MLflow-worded messages. The filter and
 * order_by parsers build on these; nothing here touches SQL.
 */
import { MlflowError } from '../errors';
import { Comparator, SearchEntityType } from './search-types';

/** Longest accepted filter string, in characters. */
export const MAX_FILTER_LENGTH = 10_000;
/** Most comparisons one filter may AND together. */
export const MAX_FILTER_CLAUSES = 100;
/** Most values one IN / NOT IN list may hold. */
export const MAX_IN_LIST_VALUES = 1000;
/** Most order_by entries one request may give (each one can cost a join). */
export const MAX_ORDER_BY_CLAUSES = 100;
/** Longest accepted single order_by entry, in characters. */
export const MAX_ORDER_BY_CLAUSE_LENGTH = 1000;

export type Token =
  /** A single-quoted string literal; `value` is its content. */
  | { kind: 'string'; raw: string; value: string; start: number; end: number }
  /**
   * A run of name characters, dots, double-quoted and backticked segments with no whitespace in
   * between: identifiers (`tags.\`a b\``), keywords (`AND`, `like`) and double-quoted values.
   */
  | { kind: 'name'; raw: string; start: number; end: number }
  | { kind: 'number'; raw: string; value: number; start: number; end: number }
  /** A run of `< > = !` characters, e.g. `>=` or the invalid `>>>`. */
  | { kind: 'operator'; raw: string; start: number; end: number }
  | { kind: '(' | ')' | ',' | ';'; raw: string; start: number; end: number };

const NAME_CHAR = /[\p{L}\p{N}_$#.]/u;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const OPERATOR_CHARS = '<>=!';
const QUOTE_CHARS = '"`';

/**
 * Splits `text` into tokens. `fail` builds the error for text that is not part of the grammar
 * (unknown characters, unterminated quotes); it receives a description of the problem.
 */
export function tokenize(text: string, fail: (problem: string) => MlflowError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw fail(`unterminated quoted string starting at position ${start}`);
      i = close + 1;
      tokens.push({
        kind: 'string',
        raw: text.slice(start, i),
        value: text.slice(start + 1, close),
        start,
        end: i,
      });
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === ';') {
      i++;
      tokens.push({ kind: c, raw: c, start, end: i });
      continue;
    }
    if (OPERATOR_CHARS.includes(c)) {
      while (i < text.length && OPERATOR_CHARS.includes(text[i])) i++;
      tokens.push({ kind: 'operator', raw: text.slice(start, i), start, end: i });
      continue;
    }
    NUMBER.lastIndex = i;
    const number = startsNumber(text, i) ? NUMBER.exec(text) : null;
    if (number) {
      i += number[0].length;
      if (i < text.length && (NAME_CHAR.test(text[i]) || QUOTE_CHARS.includes(text[i]))) {
        throw fail(`unexpected character '${text[i]}' at position ${i}`);
      }
      tokens.push({ kind: 'number', raw: number[0], value: Number(number[0]), start, end: i });
      continue;
    }
    if ((NAME_CHAR.test(c) && c !== '.') || QUOTE_CHARS.includes(c)) {
      while (i < text.length) {
        const d = text[i];
        if (NAME_CHAR.test(d)) {
          i++;
        } else if (QUOTE_CHARS.includes(d)) {
          const close = text.indexOf(d, i + 1);
          if (close < 0) throw fail(`unterminated quoted name starting at position ${i}`);
          i = close + 1;
        } else {
          break;
        }
      }
      tokens.push({ kind: 'name', raw: text.slice(start, i), start, end: i });
      continue;
    }
    throw fail(`unexpected character '${c}' at position ${start}`);
  }
  return tokens;
}

function startsNumber(text: string, i: number): boolean {
  const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
  const c = text[i];
  if (isDigit(c)) return true;
  if (c === '.') return isDigit(text[i + 1]);
  if (c === '-') return isDigit(text[i + 1]) || (text[i + 1] === '.' && isDigit(text[i + 2]));
  return false;
}

/** True for an unquoted name token spelling `word` in any letter case (`and`, `AND`, `And`). */
export function isKeyword(token: Token | undefined, ...words: string[]): boolean {
  return (
    token !== undefined &&
    token.kind === 'name' &&
    words.some((w) => w.toUpperCase() === token.raw.toUpperCase())
  );
}

export const RESERVED_WORDS = ['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE'] as const;

/** A quoted piece of a name: `"x"` or `` `x` `` with no further quote of that kind inside. */
export function unquote(part: string): { text: string; quote: '"' | '`' | undefined } | undefined {
  const q = part[0];
  if (q === '"' || q === '`') {
    if (part.length >= 2 && part.endsWith(q) && part.indexOf(q, 1) === part.length - 1) {
      return { text: part.slice(1, -1), quote: q };
    }
    return undefined;
  }
  if (part.includes('"') || part.includes('`')) return undefined;
  return { text: part, quote: undefined };
}

/**
 * Splits an identifier at its first dot outside quotes, as MLflow does (`tags.mlflow.runName` is
 * the tag `mlflow.runName`). `entity` is undefined for a bare name.
 */
export function splitIdentifier(raw: string): { entity: string | undefined; key: string } {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') {
      quote = c;
    } else if (c === '.') {
      return { entity: raw.slice(0, i), key: raw.slice(i + 1) };
    }
  }
  return { entity: undefined, key: raw };
}

/** Entity prefixes of the run grammar (`mlflow/utils/search_utils.py` `SearchUtils`). */
export const RUN_ENTITY_PREFIXES: Readonly<Record<string, SearchEntityType>> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'param',
  parameters: 'param',
  param: 'param',
  params: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

/** MLflow's canonical entity names, as its "Valid values are [...]" message lists them. */
export const RUN_ENTITY_NAMES = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];

/** Entity prefixes of the experiment and registry grammars (attributes and tags only). */
export const ATTRIBUTE_TAG_PREFIXES: Readonly<Record<string, SearchEntityType>> = {
  attribute: 'attribute',
  attributes: 'attribute',
  tag: 'tag',
  tags: 'tag',
};

/** Entity prefixes of the trace grammar (`SearchTraceUtils`, aliases included). */
export const TRACE_ENTITY_PREFIXES: Readonly<Record<string, SearchEntityType>> = {
  attribute: 'attribute',
  attributes: 'attribute',
  trace: 'attribute',
  tag: 'tag',
  tags: 'tag',
  request_metadata: 'request_metadata',
  metadata: 'request_metadata',
};

/** How MLflow names each entity type in its messages. */
export const ENTITY_DISPLAY_NAME: Readonly<Record<SearchEntityType, string>> = {
  metric: 'metric',
  param: 'parameter',
  tag: 'tag',
  attribute: 'attribute',
  dataset: 'dataset',
  request_metadata: 'request metadata',
};

export const NUMERIC_COMPARATORS: readonly Comparator[] = ['<', '>', '=', '>=', '<=', '!='];
export const STRING_COMPARATORS: readonly Comparator[] = ['!=', '=', 'LIKE', 'ILIKE'];
export const LIST_COMPARATORS: readonly Comparator[] = ['IN', 'NOT IN'];

/** The invalid-identifier message MLflow gives for an identifier it cannot split. */
export function invalidIdentifierMessage(identifier: string): string {
  return (
    `Invalid identifier '${identifier}'. Columns should be specified as 'attribute.<key>', ` +
    `'metric.<key>', 'tag.<key>', 'dataset.<key>', or 'param.'.`
  );
}

export function invalid(message: string): MlflowError {
  return MlflowError.invalidParameterValue(message);
}

/**
 * Resolves `<entity>.<key>` or a bare attribute name against the allowed entity prefixes. Quotes
 * around the key (backticks or double quotes) and backticks around the entity are removed. Key
 * validity is left to the caller.
 */
export function resolveIdentifier(
  raw: string,
  prefixes: Readonly<Record<string, SearchEntityType>>,
  invalidEntityMessage: (entity: string) => string,
): { type: SearchEntityType; key: string } {
  const { entity, key } = splitIdentifier(raw);
  let type: SearchEntityType = 'attribute';
  if (entity !== undefined) {
    const unquotedEntity = unquote(entity);
    const entityText =
      unquotedEntity && unquotedEntity.quote !== '"' ? unquotedEntity.text : entity;
    if (!Object.prototype.hasOwnProperty.call(prefixes, entityText)) {
      throw invalid(invalidEntityMessage(entityText));
    }
    type = prefixes[entityText];
  }
  const unquotedKey = unquote(key);
  if (!unquotedKey || unquotedKey.text.length === 0) throw invalid(invalidIdentifierMessage(raw));
  return { type, key: unquotedKey.text };
}
