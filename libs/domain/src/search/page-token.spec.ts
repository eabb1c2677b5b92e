import { MlflowError } from '../errors';
import { decodePageToken, encodePageToken, MAX_PAGE_TOKEN_LENGTH } from './page-token';

function thrown(fn: () => unknown): MlflowError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MlflowError);
  return caught as MlflowError;
}

function invalidMessage(fn: () => unknown): string {
  const error = thrown(fn);
  expect(error.code).toBe('INVALID_PARAMETER_VALUE');
  return error.message;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe(encodePageToken.name, () => {
  it.each([
    [1, 'eyJvZmZzZXQiOiAxfQ=='],
    [2, 'eyJvZmZzZXQiOiAyfQ=='],
    [4, 'eyJvZmZzZXQiOiA0fQ=='],
    [5, 'eyJvZmZzZXQiOiA1fQ=='],
    [1000, 'eyJvZmZzZXQiOiAxMDAwfQ=='],
  ])('encodes offset %d exactly like the real server', (offset, token) => {
    expect(encodePageToken(offset)).toBe(token);
  });

  it('writes the JSON the way Python json.dumps does', () => {
    expect(Buffer.from(encodePageToken(37), 'base64').toString('utf8')).toBe('{"offset": 37}');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the offset %p', (offset) => {
    expect(thrown(() => encodePageToken(offset)).code).toBe('INTERNAL_ERROR');
  });
});

describe(decodePageToken.name, () => {
  it('gives 0 for an absent or empty token', () => {
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken('')).toBe(0);
  });

  it.each([
    ['eyJvZmZzZXQiOiAyfQ==', 2],
    ['eyJvZmZzZXQiOiA0fQ==', 4],
    ['eyJvZmZzZXQiOiA1fQ==', 5],
    ['eyJvZmZzZXQiOiAxMDAwfQ==', 1000],
  ])('decodes the real server token %s', (token, offset) => {
    expect(decodePageToken(token)).toBe(offset);
  });

  it.each([0, 1, 999, 50_000, 2 ** 40])('round-trips offset %d', (offset) => {
    expect(decodePageToken(encodePageToken(offset))).toBe(offset);
  });

  it('accepts compact JSON and an offset written as a digit string', () => {
    expect(decodePageToken(b64('{"offset":12}'))).toBe(12);
    expect(decodePageToken(b64('{"offset": "7"}'))).toBe(7);
  });

  it.each([
    'not-a-token',
    'abc',
    'eyJvZmZzZXQiOiAyfQ',
    'eyJvZmZzZXQiOiAyfQ=',
    '!!!!',
    'eyJvZmZz ZXQiOiAyfQ==',
    'eyJvZmZzZXQiOiAyfQ==\n',
  ])('rejects %p as not base64 (search.json bad-page-token)', (token) => {
    expect(invalidMessage(() => decodePageToken(token))).toBe(
      'Invalid page token, could not base64-decode',
    );
  });

  it('rejects an overlong token before decoding it', () => {
    const token = 'A'.repeat(MAX_PAGE_TOKEN_LENGTH + 4);
    expect(invalidMessage(() => decodePageToken(token))).toBe(
      'Invalid page token, could not base64-decode',
    );
  });

  it('rejects base64 that is not JSON', () => {
    expect(invalidMessage(() => decodePageToken(b64('hello')))).toBe(
      'Invalid page token, decoded value=hello',
    );
  });

  it.each(['{"x": 1}', '[1]', 'null', '5', '{"offset": null}'])(
    'rejects the JSON %s without an offset',
    (json) => {
      expect(invalidMessage(() => decodePageToken(b64(json)))).toBe(
        `Invalid page token, parsed value=${json}`,
      );
    },
  );

  it.each(['-1', '1.5', '"abc"', '"-3"', 'true', '1e300'])('rejects the offset %s', (offset) => {
    expect(invalidMessage(() => decodePageToken(b64(`{"offset": ${offset}}`)))).toMatch(
      /^Invalid page token, offset must be a non-negative integer/,
    );
  });
});
