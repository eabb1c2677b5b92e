import { MlflowError } from '../errors';
import { parseSearchFilter } from './filter-parser';
import { MAX_FILTER_CLAUSES, MAX_FILTER_LENGTH, MAX_IN_LIST_VALUES } from './search-syntax';
import { Comparator, FilterClause, SearchTarget } from './search-types';

/** Runs `fn`, asserts it threw INVALID_PARAMETER_VALUE, and returns the message. */
function invalidMessage(fn: () => unknown): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MlflowError);
  expect((caught as MlflowError).code).toBe('INVALID_PARAMETER_VALUE');
  return (caught as MlflowError).message;
}

function one(filter: string, target: SearchTarget = 'runs'): FilterClause {
  const clauses = parseSearchFilter(filter, target);
  expect(clauses).toHaveLength(1);
  return clauses[0];
}

const NUMERIC: Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
const STRING: Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const ALL_TARGETS: SearchTarget[] = [
  'runs',
  'experiments',
  'registered-models',
  'model-versions',
  'logged-models',
  'traces',
];

describe(parseSearchFilter.name, () => {
  describe('empty filters', () => {
    it.each(ALL_TARGETS)(
      'returns no clauses for an absent, empty or blank filter (%s)',
      (target) => {
        expect(parseSearchFilter(undefined, target)).toEqual([]);
        expect(parseSearchFilter('', target)).toEqual([]);
        expect(parseSearchFilter('  \t\n ', target)).toEqual([]);
      },
    );
  });

  describe('runs: metrics', () => {
    it.each(NUMERIC)('accepts metrics.<k> %s <number>', (comparator) => {
      expect(one(`metrics.acc ${comparator} 0.5`)).toEqual({
        type: 'metric',
        key: 'acc',
        comparator,
        value: 0.5,
      });
    });

    it('accepts the singular alias and no spaces around the comparator', () => {
      expect(one('metric.loss<=3')).toEqual({
        type: 'metric',
        key: 'loss',
        comparator: '<=',
        value: 3,
      });
    });

    it.each([
      ['-1', -1],
      ['-0.25', -0.25],
      ['.5', 0.5],
      ['1e3', 1000],
      ['2.5E-2', 0.025],
      ['42', 42],
    ])('parses the number %s', (raw, value) => {
      expect(one(`metrics.m > ${raw}`).value).toBe(value);
    });

    it('rejects LIKE on a metric with the set of numeric comparators', () => {
      expect(invalidMessage(() => parseSearchFilter('metrics.acc LIKE 1', 'runs'))).toBe(
        "Invalid comparator 'LIKE' not one of '{'<', '>', '=', '>=', '<=', '!='}",
      );
    });

    it('gives the real server message for an unknown comparator (search.json malformed-filter)', () => {
      expect(invalidMessage(() => parseSearchFilter('metrics.acc >>> 1', 'runs'))).toBe(
        "Invalid comparator '>>>' not one of '{'<', '>', '=', '>=', '<=', '!='}",
      );
    });

    it.each(['==', '<>', '=>', '!'])('rejects the comparator %s', (comparator) => {
      expect(invalidMessage(() => parseSearchFilter(`metrics.acc ${comparator} 1`, 'runs'))).toBe(
        `Invalid comparator '${comparator}' not one of '{'<', '>', '=', '>=', '<=', '!='}`,
      );
    });

    it('rejects a quoted value for a metric', () => {
      expect(invalidMessage(() => parseSearchFilter("metrics.acc > '0.5'", 'runs'))).toBe(
        "Expected numeric value type for metric. Found '0.5'",
      );
    });

    it('rejects a list for a metric', () => {
      expect(invalidMessage(() => parseSearchFilter("metrics.acc IN ('1')", 'runs'))).toBe(
        "Expected numeric value type for metric. Found ('1')",
      );
    });
  });

  describe('runs: params and tags', () => {
    it.each(['params', 'param', 'parameter', 'parameters'])('maps the prefix %s to param', (p) => {
      expect(one(`${p}.lr = '0.1'`)).toEqual({
        type: 'param',
        key: 'lr',
        comparator: '=',
        value: '0.1',
      });
    });

    it.each(['tags', 'tag'])('maps the prefix %s to tag', (p) => {
      expect(one(`${p}.env = 'prod'`)).toEqual({
        type: 'tag',
        key: 'env',
        comparator: '=',
        value: 'prod',
      });
    });

    it.each(STRING)('accepts params.<k> %s <string>', (comparator) => {
      expect(one(`params.group ${comparator} 'a%'`)).toEqual({
        type: 'param',
        key: 'group',
        comparator,
        value: 'a%',
      });
    });

    it.each(STRING)('accepts tags.<k> %s <string>', (comparator) => {
      expect(one(`tags.env ${comparator} "pro%"`)).toEqual({
        type: 'tag',
        key: 'env',
        comparator,
        value: 'pro%',
      });
    });

    it.each([
      ['like', 'LIKE'],
      ['Like', 'LIKE'],
      ['ilike', 'ILIKE'],
      ['iLiKe', 'ILIKE'],
    ])('upper-cases the keyword comparator %s for runs', (written, canonical) => {
      expect(one(`tags.env ${written} 'p%'`).comparator).toBe(canonical);
    });

    it('rejects a numeric comparator on a param, closing the set in quotes like MLflow', () => {
      expect(invalidMessage(() => parseSearchFilter("params.p > 'a'", 'runs'))).toBe(
        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'",
      );
    });

    it('rejects a numeric comparator on a tag', () => {
      expect(invalidMessage(() => parseSearchFilter("tags.t <= 'a'", 'runs'))).toBe(
        "Invalid comparator '<=' not one of '{'!=', '=', 'LIKE', 'ILIKE'}",
      );
    });

    it('rejects an unquoted string value with the real server message (search.json)', () => {
      expect(invalidMessage(() => parseSearchFilter('params.group = a', 'runs'))).toBe(
        'Parameter value is either not quoted or unidentified quote types used for string value a. Use either single or double quotes.',
      );
    });

    it('rejects a backtick-quoted value', () => {
      expect(invalidMessage(() => parseSearchFilter('tags.t = `a`', 'runs'))).toBe(
        'Parameter value is either not quoted or unidentified quote types used for string value `a`. Use either single or double quotes.',
      );
    });

    it('rejects a number for a param', () => {
      expect(invalidMessage(() => parseSearchFilter('params.p = 1', 'runs'))).toBe(
        "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1",
      );
    });

    it('rejects a list for a tag', () => {
      expect(invalidMessage(() => parseSearchFilter("tags.t IN ('a', 'b')", 'runs'))).toBe(
        "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('a', 'b')",
      );
    });
  });

  describe('runs: keys and quoting', () => {
    it('takes a backticked key with dots (search.json tag-backtick-key)', () => {
      expect(one("tags.`mlflow.source.type` = 'LOCAL'")).toEqual({
        type: 'tag',
        key: 'mlflow.source.type',
        comparator: '=',
        value: 'LOCAL',
      });
    });

    it('takes a double-quoted key with a space', () => {
      expect(one('metrics."my metric" >= 1')).toEqual({
        type: 'metric',
        key: 'my metric',
        comparator: '>=',
        value: 1,
      });
    });

    it('takes everything after the first dot as the key when unquoted', () => {
      expect(one("tags.mlflow.runName = 'x'")).toEqual({
        type: 'tag',
        key: 'mlflow.runName',
        comparator: '=',
        value: 'x',
      });
    });

    it('accepts a backticked entity prefix', () => {
      expect(one("`params`.p = 'x'").type).toBe('param');
    });

    it('keeps spaces, quotes of the other kind and keywords inside values', () => {
      expect(one(`params.p = "it's OR (x)"`).value).toBe("it's OR (x)");
      expect(one(`params.p = 'say "hi", then AND'`).value).toBe('say "hi", then AND');
    });

    it('does not split on AND inside a quoted value', () => {
      expect(parseSearchFilter('params.p = \'a and b\' AND tags.t = "c AND d"', 'runs')).toEqual([
        { type: 'param', key: 'p', comparator: '=', value: 'a and b' },
        { type: 'tag', key: 't', comparator: '=', value: 'c AND d' },
      ]);
    });

    it('keeps an empty string value', () => {
      expect(one("tags.t = ''").value).toBe('');
    });

    it.each(['tags.', 'tags.``', 'params.""'])('rejects the empty key in %s', (identifier) => {
      expect(invalidMessage(() => parseSearchFilter(`${identifier} = 'x'`, 'runs'))).toMatch(
        /^Invalid identifier /,
      );
    });

    it('rejects a partially quoted key', () => {
      expect(invalidMessage(() => parseSearchFilter("tags.a`b` = 'x'", 'runs'))).toMatch(
        /^Invalid identifier 'tags\.a`b`'/,
      );
    });

    it('rejects an unknown entity type', () => {
      expect(invalidMessage(() => parseSearchFilter("foo.bar = 'x'", 'runs'))).toBe(
        "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
      );
    });

    it('treats entity types as case-sensitive', () => {
      expect(invalidMessage(() => parseSearchFilter('Metrics.acc > 1', 'runs'))).toMatch(
        /^Invalid entity type 'Metrics'/,
      );
    });
  });

  describe('runs: attributes', () => {
    it.each(['run_id', 'run_name', 'status', 'user_id', 'artifact_uri'])(
      'accepts the string attribute %s with = != LIKE ILIKE',
      (key) => {
        for (const comparator of STRING) {
          expect(one(`attributes.${key} ${comparator} 'v'`)).toEqual({
            type: 'attribute',
            key,
            comparator,
            value: 'v',
          });
        }
      },
    );

    it.each(['attributes', 'attribute', 'attr', 'run'])('maps the prefix %s to attribute', (p) => {
      expect(one(`${p}.status = 'FINISHED'`)).toEqual({
        type: 'attribute',
        key: 'status',
        comparator: '=',
        value: 'FINISHED',
      });
    });

    it('treats a bare name as an attribute', () => {
      expect(one("status != 'RUNNING'")).toEqual({
        type: 'attribute',
        key: 'status',
        comparator: '!=',
        value: 'RUNNING',
      });
    });

    it.each(['"run name"', 'attributes."Run name"', 'attributes.`Run Name`'])(
      'canonicalises %s to run_name',
      (identifier) => {
        expect(one(`${identifier} ILIKE 'search-%'`)).toEqual({
          type: 'attribute',
          key: 'run_name',
          comparator: 'ILIKE',
          value: 'search-%',
        });
      },
    );

    it.each([
      ['start_time', 'start_time'],
      ['end_time', 'end_time'],
      ['created', 'start_time'],
      ['Created', 'start_time'],
    ])('accepts the numeric attribute %s with every numeric comparator', (written, key) => {
      for (const comparator of NUMERIC) {
        expect(one(`attributes.${written} ${comparator} 1732600540000`)).toEqual({
          type: 'attribute',
          key,
          comparator,
          value: 1732600540000,
        });
      }
    });

    it('rejects a quoted value for a numeric attribute', () => {
      expect(invalidMessage(() => parseSearchFilter("start_time > '1'", 'runs'))).toBe(
        "Expected numeric value type for numeric attribute: start_time. Found '1'",
      );
    });

    it('rejects LIKE on a numeric attribute', () => {
      expect(invalidMessage(() => parseSearchFilter('end_time LIKE 1', 'runs'))).toBe(
        "Invalid comparator 'LIKE' not one of '{'<', '>', '=', '>=', '<=', '!='}",
      );
    });

    it('rejects > on a string attribute', () => {
      expect(invalidMessage(() => parseSearchFilter("status > 'A'", 'runs'))).toBe(
        "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'",
      );
    });

    it('rejects a number for a string attribute', () => {
      expect(invalidMessage(() => parseSearchFilter('user_id = 5', 'runs'))).toBe(
        'Expected a quoted string value for attributes. Got value 5',
      );
    });

    it('rejects an unknown attribute, naming it and the valid keys', () => {
      const message = invalidMessage(() => parseSearchFilter("experiment_id = '1'", 'runs'));
      expect(message).toMatch(
        /^Invalid attribute key 'experiment_id' specified\. Valid keys are '\{/,
      );
      expect(message).toContain("'run_id'");
      expect(message).toContain("'start_time'");
    });
  });

  describe('runs: IN and NOT IN', () => {
    it('accepts run_id IN with a list (search.json run-id-in)', () => {
      expect(one("attributes.run_id IN ('abc', 'def')")).toEqual({
        type: 'attribute',
        key: 'run_id',
        comparator: 'IN',
        value: ['abc', 'def'],
      });
    });

    it('accepts NOT IN, double-quoted items, commas inside items and lower case', () => {
      expect(one(`run_id not in ("a,b", 'c d' ,'e')`)).toEqual({
        type: 'attribute',
        key: 'run_id',
        comparator: 'NOT IN',
        value: ['a,b', 'c d', 'e'],
      });
    });

    it('accepts a one-item list', () => {
      expect(one("run_id IN ('x')").value).toEqual(['x']);
    });

    it('rejects a list for other string attributes', () => {
      expect(invalidMessage(() => parseSearchFilter("status IN ('A')", 'runs'))).toBe(
        "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
      );
    });

    it('rejects an empty list', () => {
      expect(invalidMessage(() => parseSearchFilter('run_id IN ()', 'runs'))).toBe(
        'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
      );
    });

    it.each(["('a',)", "('a' 'b')", '(1, 2)', "('a', b)", "('a'"])(
      'rejects the ill-formed list %s',
      (list) => {
        expect(invalidMessage(() => parseSearchFilter(`run_id IN ${list}`, 'runs'))).toBe(
          'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.',
        );
      },
    );

    it('rejects IN without a list', () => {
      expect(invalidMessage(() => parseSearchFilter("run_id IN 'a'", 'runs'))).toMatch(
        /^Expected a list of quoted string values after 'IN'/,
      );
    });

    it('rejects a list with a comparator other than IN / NOT IN', () => {
      expect(invalidMessage(() => parseSearchFilter("run_id = ('a')", 'runs'))).toMatch(
        /^Invalid comparator '=' for a list of values/,
      );
    });

    it('rejects NOT followed by anything but IN', () => {
      expect(invalidMessage(() => parseSearchFilter("params.p NOT LIKE 'a'", 'runs'))).toBe(
        "Invalid clause(s) in filter string: 'NOT'",
      );
    });
  });

  describe('runs: datasets', () => {
    it.each(['name', 'digest', 'context'])('accepts datasets.%s with every comparator', (key) => {
      for (const comparator of STRING) {
        expect(one(`datasets.${key} ${comparator} 'v'`)).toEqual({
          type: 'dataset',
          key,
          comparator,
          value: 'v',
        });
      }
      expect(one(`dataset.${key} IN ('a', 'b')`)).toEqual({
        type: 'dataset',
        key,
        comparator: 'IN',
        value: ['a', 'b'],
      });
      expect(one(`datasets.${key} NOT IN ('a')`).comparator).toBe('NOT IN');
    });

    it('rejects an unknown dataset key', () => {
      expect(invalidMessage(() => parseSearchFilter("datasets.source = 'x'", 'runs'))).toBe(
        "Invalid dataset key 'source' specified. Valid keys are '{'name', 'digest', 'context'}'",
      );
    });

    it('rejects a number for a dataset key', () => {
      expect(invalidMessage(() => parseSearchFilter('datasets.name = 1', 'runs'))).toBe(
        'Expected a quoted string value for dataset attributes. Got value 1',
      );
    });
  });

  describe('runs: statement structure', () => {
    it('joins comparisons with AND in any letter case (search.json combined-and-order-by-metric-desc)', () => {
      expect(
        parseSearchFilter("metrics.acc > 0.2 and params.group = 'a' AnD tags.t != 'x'", 'runs'),
      ).toEqual([
        { type: 'metric', key: 'acc', comparator: '>', value: 0.2 },
        { type: 'param', key: 'group', comparator: '=', value: 'a' },
        { type: 'tag', key: 't', comparator: '!=', value: 'x' },
      ]);
    });

    it('rejects OR with the real server message (search.json filter-with-or)', () => {
      expect(
        invalidMessage(() => parseSearchFilter("params.group = 'a' OR params.group = 'b'", 'runs')),
      ).toBe("Invalid clause(s) in filter string: 'OR'");
    });

    it('lists every OR, keeping its spelling', () => {
      expect(
        invalidMessage(() =>
          parseSearchFilter("tags.a = 'x' or tags.b = 'y' OR tags.c = 'z'", 'runs'),
        ),
      ).toBe("Invalid clause(s) in filter string: 'or', 'OR'");
    });

    it('lists at most 20 invalid clauses', () => {
      const filter = Array.from({ length: 30 }, (_, i) => `tags.t${i} = 'x'`).join(' OR ');
      const message = invalidMessage(() => parseSearchFilter(filter, 'runs'));
      expect(message).toBe(
        `Invalid clause(s) in filter string: ${Array(20).fill("'OR'").join(', ')}, ...`,
      );
    });

    it('rejects parentheses used for grouping', () => {
      expect(
        invalidMessage(() => parseSearchFilter("(params.a = 'x' AND params.b = 'y')", 'runs')),
      ).toBe("Invalid clause(s) in filter string: '(params.a = 'x' AND params.b = 'y')'");
    });

    it('rejects a leading NOT', () => {
      expect(invalidMessage(() => parseSearchFilter("NOT params.a = 'x'", 'runs'))).toBe(
        "Invalid clause(s) in filter string: 'NOT'",
      );
    });

    it.each([
      ["params.a = 'x' AND", 'AND'],
      ["AND params.a = 'x'", 'AND'],
      ["params.a = 'x' AND AND params.b = 'y'", 'AND'],
      ["params.a = 'x' params.b = 'y'", "params.b = 'y'"],
      ["params.a = 'x' 'y'", "'y'"],
      ["params.a = 'x';", ';'],
    ])('rejects %s', (filter, clause) => {
      expect(invalidMessage(() => parseSearchFilter(filter, 'runs'))).toBe(
        `Invalid clause(s) in filter string: '${clause}'`,
      );
    });

    it('rejects multiple statements', () => {
      expect(
        invalidMessage(() => parseSearchFilter("params.a = 'x'; params.b = 'y'", 'runs')),
      ).toBe(
        "Search filter contained multiple expression 'params.a = 'x'; params.b = 'y''. Provide AND-ed expression list.",
      );
    });

    it('rejects a missing comparator', () => {
      expect(invalidMessage(() => parseSearchFilter("params.a 'x'", 'runs'))).toBe(
        "Invalid comparison clause in filter string: expected a comparator after 'params.a'.",
      );
    });

    it('rejects a missing value', () => {
      expect(invalidMessage(() => parseSearchFilter('metrics.acc >', 'runs'))).toBe(
        "Invalid comparison clause in filter string: expected a value after 'metrics.acc >'.",
      );
    });

    it.each([
      ["params.a = 'x", 'unterminated quoted string'],
      ['tags.`a = 1', 'unterminated quoted name'],
      ["params.a = 'x' & params.b = 'y'", "unexpected character '&'"],
      ['metrics.acc > 1x', "unexpected character 'x'"],
    ])('rejects the malformed filter %s', (filter, problem) => {
      expect(invalidMessage(() => parseSearchFilter(filter, 'runs'))).toContain(problem);
    });
  });

  describe('safety limits', () => {
    it(`accepts a filter of exactly ${MAX_FILTER_LENGTH} characters`, () => {
      const prefix = "params.p = '";
      const filter = `${prefix}${'x'.repeat(MAX_FILTER_LENGTH - prefix.length - 1)}'`;
      expect(filter).toHaveLength(MAX_FILTER_LENGTH);
      expect(one(filter).type).toBe('param');
    });

    it(`rejects a filter longer than ${MAX_FILTER_LENGTH} characters`, () => {
      const filter = `params.p = '${'x'.repeat(MAX_FILTER_LENGTH)}'`;
      expect(invalidMessage(() => parseSearchFilter(filter, 'runs'))).toMatch(
        /more than the maximum of 10000/,
      );
    });

    it(`accepts ${MAX_FILTER_CLAUSES} clauses and rejects one more`, () => {
      const clauses = (n: number) =>
        Array.from({ length: n }, (_, i) => `params.p${i} = 'v'`).join(' AND ');
      expect(parseSearchFilter(clauses(MAX_FILTER_CLAUSES), 'runs')).toHaveLength(
        MAX_FILTER_CLAUSES,
      );
      expect(invalidMessage(() => parseSearchFilter(clauses(MAX_FILTER_CLAUSES + 1), 'runs'))).toBe(
        `Invalid filter: more than ${MAX_FILTER_CLAUSES} comparisons joined by AND.`,
      );
    });

    it(`accepts ${MAX_IN_LIST_VALUES} IN values and rejects one more`, () => {
      const list = (n: number) =>
        `run_id IN (${Array.from({ length: n }, (_, i) => `'r${i}'`).join(', ')})`;
      expect(one(list(MAX_IN_LIST_VALUES)).value).toHaveLength(MAX_IN_LIST_VALUES);
      expect(invalidMessage(() => parseSearchFilter(list(MAX_IN_LIST_VALUES + 1), 'runs'))).toBe(
        `Invalid filter: an IN list has more than ${MAX_IN_LIST_VALUES} values.`,
      );
    });

    it('rejects a filter that is not a string', () => {
      expect(invalidMessage(() => parseSearchFilter(42 as unknown as string, 'runs'))).toMatch(
        /expected a string/,
      );
    });
  });

  describe('experiments', () => {
    it.each(STRING)('accepts name %s', (comparator) => {
      expect(one(`name ${comparator} 'golden-exp-%'`, 'experiments')).toEqual({
        type: 'attribute',
        key: 'name',
        comparator,
        value: 'golden-exp-%',
      });
    });

    it.each(['creation_time', 'last_update_time'])('accepts numeric %s', (key) => {
      for (const comparator of NUMERIC) {
        expect(one(`attributes.${key} ${comparator} 100`, 'experiments')).toEqual({
          type: 'attribute',
          key,
          comparator,
          value: 100,
        });
      }
    });

    it.each(STRING)('accepts tags.<k> %s', (comparator) => {
      expect(one(`tags.team ${comparator} 'ml'`, 'experiments')).toEqual({
        type: 'tag',
        key: 'team',
        comparator,
        value: 'ml',
      });
    });

    it('accepts the attribute and tag prefixes and a quoted tag key', () => {
      expect(one("attribute.name = 'a'", 'experiments').type).toBe('attribute');
      expect(one('tag.`a.b` = "x"', 'experiments')).toEqual({
        type: 'tag',
        key: 'a.b',
        comparator: '=',
        value: 'x',
      });
    });

    it('does not upper-case keyword comparators', () => {
      expect(invalidMessage(() => parseSearchFilter("name like 'a%'", 'experiments'))).toBe(
        "Invalid comparator 'like' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'",
      );
    });

    it('rejects OR without quotes, like the real server (experiments.json)', () => {
      expect(
        invalidMessage(() =>
          parseSearchFilter("name = 'golden-exp-a' OR name = 'golden-exp-b'", 'experiments'),
        ),
      ).toBe('Invalid clause(s) in filter string: OR');
    });

    it.each(['metrics.m > 1', "params.p = 'x'", "run.name = 'x'"])(
      'rejects the run-only entity in %s',
      (filter) => {
        expect(invalidMessage(() => parseSearchFilter(filter, 'experiments'))).toMatch(
          /^Invalid entity type '\w+'\. Valid entity types are \('attribute', 'attributes', 'tag', 'tags'\)$/,
        );
      },
    );

    it('rejects an unknown attribute', () => {
      expect(invalidMessage(() => parseSearchFilter("experiment_id = '1'", 'experiments'))).toBe(
        "Invalid attribute key 'experiment_id' specified. Valid keys are '{'name', 'creation_time', 'last_update_time'}'",
      );
    });

    it('rejects IN on name', () => {
      expect(invalidMessage(() => parseSearchFilter("name IN ('a')", 'experiments'))).toBe(
        'Experiment attributes do not support comparison with a list of values.',
      );
    });

    it('rejects a quoted number for creation_time', () => {
      expect(invalidMessage(() => parseSearchFilter("creation_time > '5'", 'experiments'))).toBe(
        "Expected numeric value type for numeric attribute: creation_time. Found '5'",
      );
    });
  });

  describe('registered-models', () => {
    it.each(STRING)('accepts name %s', (comparator) => {
      expect(one(`name ${comparator} 'golden-%'`, 'registered-models')).toEqual({
        type: 'attribute',
        key: 'name',
        comparator,
        value: 'golden-%',
      });
    });

    it.each(STRING)('accepts tags.<k> %s', (comparator) => {
      expect(one(`tags.tier ${comparator} 'gold'`, 'registered-models')).toEqual({
        type: 'tag',
        key: 'tier',
        comparator,
        value: 'gold',
      });
    });

    it('upper-cases keyword comparators', () => {
      expect(one("name ilike 'G%'", 'registered-models').comparator).toBe('ILIKE');
    });

    it('rejects other attributes', () => {
      expect(invalidMessage(() => parseSearchFilter("run_id = 'x'", 'registered-models'))).toBe(
        "Invalid attribute key 'run_id' specified. Valid keys are '{'name'}'",
      );
    });

    it('rejects OR without quotes', () => {
      expect(
        invalidMessage(() => parseSearchFilter("name = 'a' OR name = 'b'", 'registered-models')),
      ).toBe('Invalid clause(s) in filter string: OR');
    });

    it('rejects a numeric comparator on name', () => {
      expect(invalidMessage(() => parseSearchFilter("name >= 'a'", 'registered-models'))).toBe(
        "Invalid comparator '>=' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'",
      );
    });
  });

  describe('model-versions', () => {
    it.each(['name', 'run_id', 'source_path'])('accepts %s with = != LIKE ILIKE', (key) => {
      for (const comparator of STRING) {
        expect(one(`${key} ${comparator} 'v'`, 'model-versions')).toEqual({
          type: 'attribute',
          key,
          comparator,
          value: 'v',
        });
      }
    });

    it('accepts run_id IN, in any letter case', () => {
      expect(one("run_id in ('a', 'b')", 'model-versions')).toEqual({
        type: 'attribute',
        key: 'run_id',
        comparator: 'IN',
        value: ['a', 'b'],
      });
    });

    it('rejects run_id NOT IN', () => {
      expect(invalidMessage(() => parseSearchFilter("run_id NOT IN ('a')", 'model-versions'))).toBe(
        "Invalid comparator 'NOT IN' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN'}'",
      );
    });

    it('rejects name IN', () => {
      expect(invalidMessage(() => parseSearchFilter("name IN ('a')", 'model-versions'))).toBe(
        "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
      );
    });

    it('accepts version_number with every numeric comparator', () => {
      for (const comparator of NUMERIC) {
        expect(one(`version_number ${comparator} 3`, 'model-versions')).toEqual({
          type: 'attribute',
          key: 'version_number',
          comparator,
          value: 3,
        });
      }
    });

    it('accepts tags and upper-cases like', () => {
      expect(one("tags.stage like 'prod%'", 'model-versions')).toEqual({
        type: 'tag',
        key: 'stage',
        comparator: 'LIKE',
        value: 'prod%',
      });
    });

    it('accepts the name=... form the Python client sends (registry.json)', () => {
      expect(one("name='golden-model'", 'model-versions').value).toBe('golden-model');
    });

    it('rejects an unknown attribute with the real server message (registry.json)', () => {
      expect(
        invalidMessage(() => parseSearchFilter("stage = 'Production'", 'model-versions')),
      ).toBe(
        "Invalid attribute key 'stage' specified. Valid keys are '{'source_path', 'run_id', 'version_number', 'name'}'",
      );
    });
  });

  describe('logged-models', () => {
    it.each(['name', 'model_id', 'model_type', 'status', 'source_run_id'])(
      'accepts the string attribute %s',
      (key) => {
        for (const comparator of STRING) {
          expect(one(`${key} ${comparator} 'v'`, 'logged-models')).toEqual({
            type: 'attribute',
            key,
            comparator,
            value: 'v',
          });
        }
      },
    );

    it.each([
      ['creation_timestamp', 'creation_timestamp'],
      ['creation_time', 'creation_timestamp'],
      ['last_updated_timestamp', 'last_updated_timestamp'],
      ['last_updated_time', 'last_updated_timestamp'],
    ])('canonicalises the numeric attribute %s', (written, key) => {
      for (const comparator of NUMERIC) {
        expect(one(`attributes.${written} ${comparator} 7`, 'logged-models')).toEqual({
          type: 'attribute',
          key,
          comparator,
          value: 7,
        });
      }
    });

    it('accepts metrics, params and tags', () => {
      expect(
        parseSearchFilter(
          "metrics.acc > 0.9 AND params.lr = '0.1' AND tags.`mlflow.user` = 'me'",
          'logged-models',
        ),
      ).toEqual([
        { type: 'metric', key: 'acc', comparator: '>', value: 0.9 },
        { type: 'param', key: 'lr', comparator: '=', value: '0.1' },
        { type: 'tag', key: 'mlflow.user', comparator: '=', value: 'me' },
      ]);
    });

    it('accepts IN on model_id and source_run_id only', () => {
      expect(one("model_id IN ('m-1')", 'logged-models').value).toEqual(['m-1']);
      expect(one("source_run_id NOT IN ('r')", 'logged-models').comparator).toBe('NOT IN');
      expect(invalidMessage(() => parseSearchFilter("name IN ('a')", 'logged-models'))).toMatch(
        /^Only the 'model_id' and 'source_run_id' attributes/,
      );
    });

    it('rejects datasets and run attributes', () => {
      expect(invalidMessage(() => parseSearchFilter("datasets.name = 'd'", 'logged-models'))).toBe(
        "Invalid entity type 'datasets'. Valid values are ['metric', 'parameter', 'tag', 'attribute']",
      );
      expect(invalidMessage(() => parseSearchFilter("run_name = 'x'", 'logged-models'))).toMatch(
        /^Invalid attribute key 'run_name' specified/,
      );
    });

    it('quotes invalid clauses like the run grammar', () => {
      expect(
        invalidMessage(() => parseSearchFilter("name = 'a' OR name = 'b'", 'logged-models')),
      ).toBe("Invalid clause(s) in filter string: 'OR'");
    });
  });

  describe('traces (SearchTraceUtils)', () => {
    it('takes attributes with their aliases, tags and request metadata', () => {
      expect(one('timestamp > 10', 'traces')).toEqual({
        type: 'attribute',
        key: 'timestamp_ms',
        comparator: '>',
        value: 10,
      });
      expect(one('trace.execution_time <= 5', 'traces')).toMatchObject({
        key: 'execution_time_ms',
      });
      expect(one("status IN ('OK', 'ERROR')", 'traces')).toEqual({
        type: 'attribute',
        key: 'status',
        comparator: 'IN',
        value: ['OK', 'ERROR'],
      });
      expect(one("tags.`mlflow.traceName` LIKE 'pre%'", 'traces')).toMatchObject({
        type: 'tag',
        key: 'mlflow.traceName',
      });
      expect(one("metadata.env = 'prod'", 'traces')).toEqual({
        type: 'request_metadata',
        key: 'env',
        comparator: '=',
        value: 'prod',
      });
      expect(one("request_metadata.`mlflow.sourceRun` = 'r'", 'traces').type).toBe(
        'request_metadata',
      );
    });

    it('refuses unknown entities and attributes, and mistyped values', () => {
      expect(invalidMessage(() => parseSearchFilter("params.p = 'x'", 'traces'))).toBe(
        "Invalid entity type 'params'. Valid values are ['attribute', 'tag', 'request_metadata']",
      );
      expect(invalidMessage(() => parseSearchFilter("user = 'x'", 'traces'))).toMatch(
        /^Invalid attribute key 'user' specified/,
      );
      expect(invalidMessage(() => parseSearchFilter("timestamp_ms > 'x'", 'traces'))).toBe(
        "Expected numeric value type for numeric attribute: timestamp_ms. Found 'x'",
      );
    });
  });
});
