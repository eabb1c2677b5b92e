import { MlflowError } from '../errors';
import { loggedModelOrderBy, parseOrderBy } from './order-by-parser';
import { MAX_ORDER_BY_CLAUSE_LENGTH, MAX_ORDER_BY_CLAUSES } from './search-syntax';
import { OrderByClause, SearchEntityType } from './search-types';

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

const clause = (type: SearchEntityType, key: string, ascending: boolean): OrderByClause => ({
  type,
  key,
  ascending,
});
const attr = (key: string, ascending: boolean) => clause('attribute', key, ascending);

const RUN_TIEBREAKS = [attr('start_time', false), attr('run_id', true)];

describe(parseOrderBy.name, () => {
  describe('runs', () => {
    it('gives start_time DESC, run_id ASC when nothing is asked', () => {
      expect(parseOrderBy(undefined, 'runs')).toEqual(RUN_TIEBREAKS);
      expect(parseOrderBy([], 'runs')).toEqual(RUN_TIEBREAKS);
    });

    it('puts the requested clause first and appends both tiebreaks', () => {
      expect(parseOrderBy(['metrics.acc DESC'], 'runs')).toEqual([
        clause('metric', 'acc', false),
        ...RUN_TIEBREAKS,
      ]);
    });

    it.each([
      ['params.lr', true],
      ['params.lr ASC', true],
      ['params.lr asc', true],
      ['params.lr Desc', false],
      ['params.lr   DESC  ', false],
    ])('reads the direction of %s', (entry, ascending) => {
      expect(parseOrderBy([entry], 'runs')[0]).toEqual(clause('param', 'lr', ascending));
    });

    it.each([
      ['metrics.m', 'metric'],
      ['metric.m', 'metric'],
      ['params.m', 'param'],
      ['parameters.m', 'param'],
      ['tags.m', 'tag'],
      ['tag.m', 'tag'],
    ] as const)('maps %s to %s', (entry, type) => {
      expect(parseOrderBy([entry], 'runs')[0]).toEqual(clause(type, 'm', true));
    });

    it('takes quoted keys', () => {
      expect(parseOrderBy(['tags.`a b` ASC', 'metrics."my metric" DESC'], 'runs')).toEqual([
        clause('tag', 'a b', true),
        clause('metric', 'my metric', false),
        ...RUN_TIEBREAKS,
      ]);
    });

    it('takes an unquoted dotted key', () => {
      expect(parseOrderBy(['tags.mlflow.runName'], 'runs')[0]).toEqual(
        clause('tag', 'mlflow.runName', true),
      );
    });

    it.each(['run_id', 'run_name', 'user_id', 'status', 'end_time', 'artifact_uri'])(
      'orders on the attribute %s, bare or prefixed',
      (key) => {
        expect(parseOrderBy([key], 'runs')[0]).toEqual(attr(key, true));
        expect(parseOrderBy([`attributes.${key} DESC`], 'runs')[0]).toEqual(attr(key, false));
        expect(parseOrderBy([`attr.${key}`], 'runs')[0]).toEqual(attr(key, true));
      },
    );

    it('does not add start_time DESC when start_time is already ordered on', () => {
      expect(parseOrderBy(['attributes.start_time ASC'], 'runs')).toEqual([
        attr('start_time', true),
        attr('run_id', true),
      ]);
    });

    it.each(['created', 'Created'])('canonicalises %s to start_time', (alias) => {
      expect(parseOrderBy([`${alias} DESC`], 'runs')).toEqual([
        attr('start_time', false),
        attr('run_id', true),
      ]);
    });

    it('does not add run_id ASC when run_id is already ordered on', () => {
      expect(parseOrderBy(['run_id DESC', 'metrics.acc'], 'runs')).toEqual([
        attr('run_id', false),
        clause('metric', 'acc', true),
        attr('start_time', false),
      ]);
    });

    it('keeps the same key in different entity types apart', () => {
      expect(parseOrderBy(['metrics.a', 'params.a', 'tags.a'], 'runs')).toHaveLength(5);
    });

    it('rejects the same field twice', () => {
      expect(invalidMessage(() => parseOrderBy(['metrics.acc', 'metrics.acc DESC'], 'runs'))).toBe(
        "`order_by` contains duplicate fields: ['metrics.acc', 'metrics.acc DESC']",
      );
    });

    it('rejects the same field twice under an alias', () => {
      expect(invalidMessage(() => parseOrderBy(['created', 'start_time DESC'], 'runs'))).toMatch(
        /^`order_by` contains duplicate fields/,
      );
    });

    it('rejects an unknown direction with the real server message (search.json invalid-order-by)', () => {
      expect(invalidMessage(() => parseOrderBy(['metrics.acc SIDEWAYS'], 'runs'))).toBe(
        "Invalid ordering key in order_by clause 'metrics.acc SIDEWAYS'.",
      );
    });

    it.each([
      '',
      '   ',
      'metrics.acc DESC extra',
      "'name'",
      'metrics.acc 1',
      'metrics.acc >',
      '(name)',
      'tags.`a',
    ])('cannot parse %p', (entry) => {
      expect(invalidMessage(() => parseOrderBy([entry], 'runs'))).toBe(
        `Invalid order_by clause '${entry}'. Could not be parsed.`,
      );
    });

    it('rejects a non-orderable attribute', () => {
      const message = invalidMessage(() => parseOrderBy(['experiment_id'], 'runs'));
      expect(message).toMatch(
        /^Invalid attribute key 'experiment_id' specified\. Valid keys are '\{/,
      );
      expect(message).toContain("'start_time'");
    });

    it('rejects ordering on datasets', () => {
      expect(invalidMessage(() => parseOrderBy(['datasets.name'], 'runs'))).toBe(
        'Invalid order_by entity: dataset',
      );
    });

    it('rejects an unknown entity type', () => {
      expect(invalidMessage(() => parseOrderBy(['foo.bar'], 'runs'))).toBe(
        "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
      );
    });

    it('rejects a non-string entry', () => {
      expect(invalidMessage(() => parseOrderBy([5 as unknown as string], 'runs'))).toBe(
        "Invalid order_by clause '5'. Could not be parsed.",
      );
    });

    it(`rejects more than ${MAX_ORDER_BY_CLAUSES} entries`, () => {
      const entries = Array.from({ length: MAX_ORDER_BY_CLAUSES + 1 }, (_, i) => `metrics.m${i}`);
      expect(invalidMessage(() => parseOrderBy(entries, 'runs'))).toMatch(/more than the maximum/);
      expect(parseOrderBy(entries.slice(1), 'runs')).toHaveLength(MAX_ORDER_BY_CLAUSES + 2);
    });

    it(`rejects an entry longer than ${MAX_ORDER_BY_CLAUSE_LENGTH} characters`, () => {
      const entry = `metrics.${'m'.repeat(MAX_ORDER_BY_CLAUSE_LENGTH)}`;
      expect(invalidMessage(() => parseOrderBy([entry], 'runs'))).toMatch(
        /longer than the maximum/,
      );
    });
  });

  describe('experiments', () => {
    it('defaults to creation_time DESC, experiment_id ASC', () => {
      expect(parseOrderBy(undefined, 'experiments')).toEqual([
        attr('creation_time', false),
        attr('experiment_id', true),
      ]);
    });

    it('appends experiment_id DESC as the tiebreak (contract §5.2)', () => {
      expect(parseOrderBy(['name ASC'], 'experiments')).toEqual([
        attr('name', true),
        attr('experiment_id', false),
      ]);
    });

    it('adds no tiebreak when experiment_id is ordered on', () => {
      expect(parseOrderBy(['last_update_time DESC', 'experiment_id ASC'], 'experiments')).toEqual([
        attr('last_update_time', false),
        attr('experiment_id', true),
      ]);
    });

    it.each(['name', 'experiment_id', 'creation_time', 'last_update_time'])(
      'orders on %s, also with the attribute prefix',
      (key) => {
        expect(parseOrderBy([`attribute.${key} desc`], 'experiments')[0]).toEqual(attr(key, false));
      },
    );

    it('rejects tags', () => {
      expect(invalidMessage(() => parseOrderBy(['tags.team'], 'experiments'))).toBe(
        'Invalid order_by entity: tag',
      );
    });

    it('rejects unknown keys', () => {
      expect(invalidMessage(() => parseOrderBy(['artifact_location'], 'experiments'))).toBe(
        "Invalid attribute key 'artifact_location' specified. Valid keys are '{'name', 'experiment_id', 'creation_time', 'last_update_time'}'",
      );
    });

    it('rejects metrics as an entity', () => {
      expect(invalidMessage(() => parseOrderBy(['metrics.m'], 'experiments'))).toMatch(
        /^Invalid entity type 'metrics'\. Valid entity types are/,
      );
    });

    it('rejects duplicates', () => {
      expect(invalidMessage(() => parseOrderBy(['name', 'name DESC'], 'experiments'))).toBe(
        "`order_by` contains duplicate fields: ['name', 'name DESC']",
      );
    });
  });

  describe('registered-models', () => {
    it('defaults to name ASC', () => {
      expect(parseOrderBy(undefined, 'registered-models')).toEqual([attr('name', true)]);
    });

    it.each(['timestamp', 'last_updated_timestamp'])(
      'canonicalises %s to last_updated_timestamp and appends name ASC',
      (key) => {
        expect(parseOrderBy([`${key} DESC`], 'registered-models')).toEqual([
          attr('last_updated_timestamp', false),
          attr('name', true),
        ]);
      },
    );

    it('adds no tiebreak when name is ordered on', () => {
      expect(parseOrderBy(['name DESC'], 'registered-models')).toEqual([attr('name', false)]);
    });

    it('rejects creation_timestamp with the real server message (registry.json)', () => {
      expect(
        invalidMessage(() => parseOrderBy(['creation_timestamp DESC'], 'registered-models')),
      ).toBe(
        "Invalid order by key 'creation_timestamp' specified. Valid keys are '{'timestamp', 'name'}'",
      );
    });

    it('rejects timestamp and last_updated_timestamp together', () => {
      expect(
        invalidMessage(() =>
          parseOrderBy(['timestamp', 'last_updated_timestamp DESC'], 'registered-models'),
        ),
      ).toMatch(/^`order_by` contains duplicate fields/);
    });

    it('rejects tags', () => {
      expect(invalidMessage(() => parseOrderBy(['tags.t'], 'registered-models'))).toBe(
        'Invalid order_by entity: tag',
      );
    });
  });

  describe('model-versions', () => {
    it('defaults to last_updated_timestamp DESC, name ASC, version_number DESC', () => {
      expect(parseOrderBy(undefined, 'model-versions')).toEqual([
        attr('last_updated_timestamp', false),
        attr('name', true),
        attr('version_number', false),
      ]);
    });

    it('appends name ASC when ordering on version_number (registry.json)', () => {
      expect(parseOrderBy(['version_number ASC'], 'model-versions')).toEqual([
        attr('version_number', true),
        attr('name', true),
      ]);
    });

    it('appends version_number DESC when ordering on name', () => {
      expect(parseOrderBy(['name DESC'], 'model-versions')).toEqual([
        attr('name', false),
        attr('version_number', false),
      ]);
    });

    it('appends both tiebreaks after creation_timestamp', () => {
      expect(parseOrderBy(['creation_timestamp'], 'model-versions')).toEqual([
        attr('creation_timestamp', true),
        attr('name', true),
        attr('version_number', false),
      ]);
    });

    it('rejects an unknown key', () => {
      expect(invalidMessage(() => parseOrderBy(['run_id'], 'model-versions'))).toBe(
        "Invalid attribute key 'run_id' specified. Valid keys are '{'name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'}'",
      );
    });
  });

  describe('logged-models', () => {
    it('defaults to creation_timestamp DESC, model_id ASC', () => {
      expect(parseOrderBy(undefined, 'logged-models')).toEqual([
        attr('creation_timestamp', false),
        attr('model_id', true),
      ]);
    });

    it('accepts metrics and canonical attribute aliases', () => {
      expect(parseOrderBy(['metrics.acc DESC', 'creation_time'], 'logged-models')).toEqual([
        clause('metric', 'acc', false),
        attr('creation_timestamp', true),
        attr('model_id', true),
      ]);
    });

    it('rejects params', () => {
      expect(invalidMessage(() => parseOrderBy(['params.p'], 'logged-models'))).toBe(
        'Invalid order_by entity: param',
      );
    });
  });
});

describe(loggedModelOrderBy.name, () => {
  it('gives the tiebreaks alone for no fields', () => {
    const tiebreaks = [attr('creation_timestamp', false), attr('model_id', true)];
    expect(loggedModelOrderBy(undefined)).toEqual(tiebreaks);
    expect(loggedModelOrderBy([])).toEqual(tiebreaks);
  });

  it('defaults ascending to true and canonicalises aliases', () => {
    expect(loggedModelOrderBy([{ field_name: 'last_updated_time' }])).toEqual([
      attr('last_updated_timestamp', true),
      attr('creation_timestamp', false),
      attr('model_id', true),
    ]);
  });

  it('honours ascending: false and skips tiebreaks already present', () => {
    expect(
      loggedModelOrderBy([
        { field_name: 'model_id', ascending: false },
        { field_name: 'creation_time', ascending: true },
      ]),
    ).toEqual([attr('model_id', false), attr('creation_timestamp', true)]);
  });

  it('orders on metrics.<key>, keeping dots and spaces in the key', () => {
    expect(
      loggedModelOrderBy([{ field_name: 'metrics.val loss.v2', ascending: false }])[0],
    ).toEqual(clause('metric', 'val loss.v2', false));
  });

  it.each(['name', 'model_type', 'status', 'source_run_id'])('orders on %s', (key) => {
    expect(loggedModelOrderBy([{ field_name: key }])[0]).toEqual(attr(key, true));
  });

  it('rejects an unknown field', () => {
    expect(invalidMessage(() => loggedModelOrderBy([{ field_name: 'params.p' }]))).toMatch(
      /^Invalid order_by field name 'params\.p'\. Valid fields are \['name', /,
    );
  });

  it('rejects an empty metric key and a missing field name', () => {
    expect(invalidMessage(() => loggedModelOrderBy([{ field_name: 'metrics.' }]))).toBe(
      "Invalid order_by field name 'metrics.'.",
    );
    expect(
      invalidMessage(() => loggedModelOrderBy([{} as unknown as { field_name: string }])),
    ).toMatch(/needs a non-empty 'field_name'/);
  });

  it('rejects a non-boolean ascending', () => {
    expect(
      invalidMessage(() =>
        loggedModelOrderBy([{ field_name: 'name', ascending: 'yes' as unknown as boolean }]),
      ),
    ).toMatch(/expected a boolean/);
  });

  it('rejects duplicates, aliases included', () => {
    expect(
      invalidMessage(() =>
        loggedModelOrderBy([{ field_name: 'creation_time' }, { field_name: 'creation_timestamp' }]),
      ),
    ).toBe("`order_by` contains duplicate fields: ['creation_time', 'creation_timestamp']");
  });

  describe('traces', () => {
    it('defaults to timestamp_ms DESC, then request_id', () => {
      expect(parseOrderBy(undefined, 'traces')).toEqual([
        { type: 'attribute', key: 'timestamp_ms', ascending: false },
        { type: 'attribute', key: 'request_id', ascending: true },
      ]);
    });

    it('takes aliases, tags and request metadata, completed with the tiebreaks', () => {
      expect(parseOrderBy(['timestamp ASC', 'tags.env DESC', 'metadata.k'], 'traces')).toEqual([
        { type: 'attribute', key: 'timestamp_ms', ascending: true },
        { type: 'tag', key: 'env', ascending: false },
        { type: 'request_metadata', key: 'k', ascending: true },
        { type: 'attribute', key: 'request_id', ascending: true },
      ]);
    });
  });
});
