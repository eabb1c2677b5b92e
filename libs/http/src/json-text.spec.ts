import { toJsonText } from './json-text';

describe(toJsonText.name, () => {
  it('writes bodies without bigints as JSON.stringify does', () => {
    const body = { a: 1, b: 'x', c: [null, 2.5], d: { e: true } };
    expect(toJsonText(body)).toBe(JSON.stringify(body));
  });

  it('writes bigints as exact JSON numbers, at any depth and in both signs', () => {
    const text = toJsonText({
      step: 9007199254740993n,
      metrics: [{ timestamp: -9223372036854775808n, value: 1 }],
      max: 9223372036854775807n,
    });
    expect(text).toBe(
      '{"step":9007199254740993,"metrics":[{"timestamp":-9223372036854775808,"value":1}],"max":9223372036854775807}',
    );
  });

  it('leaves strings that look like its marks alone', () => {
    const text = toJsonText({ step: 1n, tag: '\u0000int64-0000000000000000:5' });
    expect(JSON.parse(text)).toEqual({ step: 1, tag: '\u0000int64-0000000000000000:5' });
  });
});
