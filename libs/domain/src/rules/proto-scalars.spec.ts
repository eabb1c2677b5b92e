import { compareInt64, readProtoInteger, toInt64 } from './proto-scalars';

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
    expect(readProtoInteger('9223372036854775807', 64)).toBe(9223372036854775807n);
    expect(readProtoInteger('-9223372036854775808', 64)).toBe(-9223372036854775808n);
    expect(readProtoInteger('9007199254740993', 64)).toBe(9007199254740993n);
    expect(readProtoInteger('9007199254740991', 64)).toBe(9007199254740991);
    expect(readProtoInteger('9223372036854775808', 64)).toBeUndefined();
    expect(readProtoInteger('-9223372036854775809', 64)).toBeUndefined();
    expect(readProtoInteger('99999999999999999999', 64)).toBeUndefined();
    // 2^63 as a double is one past the maximum.
    expect(readProtoInteger(2 ** 63, 64)).toBeUndefined();
    expect(readProtoInteger(-(2 ** 63), 64)).toBe(-(2n ** 63n));
    expect(readProtoInteger(1e20, 64)).toBeUndefined();
    expect(readProtoInteger(1e300, 64)).toBeUndefined();
  });

  it('bounds int32 fields', () => {
    expect(readProtoInteger(2 ** 31 - 1, 32)).toBe(2 ** 31 - 1);
    expect(readProtoInteger(2 ** 31, 32)).toBeUndefined();
    expect(readProtoInteger('99999999999999999999', 32)).toBeUndefined();
    expect(readProtoInteger(-(2 ** 31) - 1, 32)).toBeUndefined();
  });

  it('canonicalises driver values and compares across number and bigint', () => {
    expect(toInt64('9007199254740993')).toBe(9007199254740993n);
    expect(toInt64('42')).toBe(42);
    expect(toInt64(42n)).toBe(42);
    expect(toInt64(7)).toBe(7);
    expect(compareInt64(9007199254740993n, 9007199254740992)).toBe(1);
    expect(compareInt64(-5, -9223372036854775808n)).toBe(1);
    expect(compareInt64(3, 3)).toBe(0);
  });
});
