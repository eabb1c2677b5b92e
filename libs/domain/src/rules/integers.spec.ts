import { readProtoInteger } from './integers';

describe(readProtoInteger.name, () => {
  it('reads integers given as numbers or decimal strings', () => {
    expect(readProtoInteger(42, 64)).toBe(42);
    expect(readProtoInteger(' -7 ', 64)).toBe(-7);
    expect(readProtoInteger('1700000000000', 64)).toBe(1_700_000_000_000);
    expect(readProtoInteger(-(2 ** 31), 32)).toBe(-(2 ** 31));
  });

  it('refuses what is not an integer', () => {
    for (const raw of [1.5, '1.5', '', 'abc', '1e3', true, null, undefined, [], {}]) {
      expect(readProtoInteger(raw, 64)).toBeUndefined();
    }
  });

  it('accepts int64 bounds exactly and refuses one past them, as numbers and as strings', () => {
    expect(readProtoInteger('9223372036854775807', 64)).toBeDefined();
    expect(readProtoInteger('-9223372036854775808', 64)).toBeDefined();
    expect(readProtoInteger('9223372036854775808', 64)).toBeUndefined();
    expect(readProtoInteger('-9223372036854775809', 64)).toBeUndefined();
    expect(readProtoInteger('99999999999999999999', 64)).toBeUndefined();
    // 2^63 as a double is one past the maximum.
    expect(readProtoInteger(2 ** 63, 64)).toBeUndefined();
    expect(readProtoInteger(-(2 ** 63), 64)).toBe(-(2 ** 63));
    expect(readProtoInteger(1e20, 64)).toBeUndefined();
    expect(readProtoInteger(1e300, 64)).toBeUndefined();
  });

  it('bounds int32 fields', () => {
    expect(readProtoInteger(2 ** 31 - 1, 32)).toBe(2 ** 31 - 1);
    expect(readProtoInteger(2 ** 31, 32)).toBeUndefined();
    expect(readProtoInteger('99999999999999999999', 32)).toBeUndefined();
    expect(readProtoInteger(-(2 ** 31) - 1, 32)).toBeUndefined();
  });
});
