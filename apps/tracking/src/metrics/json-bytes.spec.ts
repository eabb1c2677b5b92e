import { JsonBytes } from './json-bytes';

describe(JsonBytes.name, () => {
  it('writes numbers as JSON.stringify does, NaN as "NaN" and ±Infinity as null', () => {
    const values = [
      0,
      -0,
      7,
      -7,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31),
      1_732_600_000_000,
      -1_732_600_000_000,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 53,
      0.1,
      -2.5e-7,
      1e21,
      Number.MAX_VALUE,
      NaN,
      Infinity,
      -Infinity,
    ];
    const out = new JsonBytes(4); // grows as it goes
    out.ascii('[');
    values.forEach((value, i) => {
      if (i > 0) out.ascii(',');
      out.number(value);
    });
    out.ascii(']');
    const expected = `[${values.map((v) => (Number.isNaN(v) ? '"NaN"' : JSON.stringify(v))).join(',')}]`;
    expect(out.done().toString('ascii')).toBe(expected);
  });

  it('appends byte buffers as they are', () => {
    const out = new JsonBytes(1);
    out.bytes(Buffer.from('{"key":'));
    out.ascii('"k"}');
    expect(out.done().toString('utf8')).toBe('{"key":"k"}');
  });
});
