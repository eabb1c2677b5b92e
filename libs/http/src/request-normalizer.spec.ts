import { MlflowError } from '@app/domain';

import { RawMlflowRequest, readMlflowRequest } from './request-normalizer';

function req(overrides: Partial<RawMlflowRequest>): RawMlflowRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    query: {},
    body: '',
    hasQueryString: false,
    ...overrides,
  };
}

describe(readMlflowRequest.name, () => {
  it('reads only the query string of a GET that has one', () => {
    const message = readMlflowRequest(
      req({
        method: 'GET',
        headers: {},
        query: { run_id: 'a', stages: ['x', 'y'] },
        body: '{"ignored":1}',
        hasQueryString: true,
      }),
    );
    expect(message).toEqual({ run_id: 'a', stages: ['x', 'y'] });
  });

  it('reads the JSON body of a GET without a query string', () => {
    expect(readMlflowRequest(req({ method: 'GET', headers: {}, body: '{"run_id":"b"}' }))).toEqual({
      run_id: 'b',
    });
  });

  it('requires application/json on POST and PUT, ignoring parameters after ;', () => {
    expect(() => readMlflowRequest(req({ headers: {} }))).toThrow(
      'Bad Request. Content-Type header is missing.',
    );
    expect(() =>
      readMlflowRequest(req({ method: 'PUT', headers: { 'content-type': 'text/plain' } })),
    ).toThrow("Bad Request. Content-Type must be one of ['application/json'].");
    expect(
      readMlflowRequest(
        req({ headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' }),
      ),
    ).toEqual({ a: 1 });
  });

  it('does not check the content type of DELETE and PATCH', () => {
    expect(readMlflowRequest(req({ method: 'DELETE', headers: {}, body: '{"name":"m"}' }))).toEqual(
      { name: 'm' },
    );
    expect(readMlflowRequest(req({ method: 'PATCH', headers: {}, body: '{"name":"m"}' }))).toEqual({
      name: 'm',
    });
  });

  it('treats bad JSON and empty bodies as {} and decodes double-encoded bodies', () => {
    expect(readMlflowRequest(req({ body: '{"name": ' }))).toEqual({});
    expect(readMlflowRequest(req({ body: '' }))).toEqual({});
    expect(readMlflowRequest(req({ body: JSON.stringify(JSON.stringify({ name: 'x' })) }))).toEqual(
      { name: 'x' },
    );
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => readMlflowRequest(req({ body: '[1,2]' }))).toThrow(MlflowError);
  });

  it('turns lowerCamelCase keys into snake_case at every depth, snake_case winning', () => {
    expect(
      readMlflowRequest(
        req({
          body: JSON.stringify({
            runId: 'r',
            run_id: 'wins',
            metrics: [{ key: 'k', modelId: 'm' }],
          }),
        }),
      ),
    ).toEqual({ run_id: 'wins', metrics: [{ key: 'k', model_id: 'm' }] });
  });

  it('refuses absurdly deep bodies', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(() => readMlflowRequest(req({ body: JSON.stringify(deep) }))).toThrow(
      'nested too deeply',
    );
  });

  it('keeps the digits of integer literals beyond 2^53, and nothing else changes', () => {
    const body =
      '{"step": 9007199254740993, "t": -9223372036854775808, "small": 1700000000000, ' +
      '"value": 12345678901234567.5, "e": 1e1234567890123456, "s": "9007199254740993 x", "f": 0.12345678901234567}';
    expect(readMlflowRequest(req({ body }))).toEqual({
      step: '9007199254740993',
      t: '-9223372036854775808',
      small: 1700000000000,
      value: Number('12345678901234567.5'),
      e: Infinity,
      s: '9007199254740993 x',
      f: Number('0.12345678901234567'),
    });
  });

  it('refuses a body with more long integers than a request has values, before parsing it', () => {
    const body = `{"junk":[${Array.from({ length: 100_001 }, () => '12345678901234567').join(',')}]}`;
    expect(() => readMlflowRequest(req({ body }))).toThrow('more than 100000 keys and list items');
  });
});
