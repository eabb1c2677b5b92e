import { MlflowError } from '../errors';
import { fitValue, lastValuePerKey, validateKey, validateRunId } from './validation';

describe(validateKey.name, () => {
  it.each(['loss', 'system/cpu_utilization_percentage', 'a b', 'a.b-c_d', 'x/y/z'])(
    'accepts %p',
    (key) => {
      expect(() => validateKey('metric', key)).not.toThrow();
    },
  );

  it.each(['a/../b', './a', '/a', 'a//b', 'a/', '.', '..', 'a\\b', 'a;b', 'a#b', 'a\nb'])(
    'rejects %p',
    (key) => {
      expect(() => validateKey('param', key)).toThrow(MlflowError);
    },
  );

  it('rejects keys over 250 characters', () => {
    expect(() => validateKey('tag', 'k'.repeat(251))).toThrow(/exceeds the maximum length of 250/);
    expect(() => validateKey('tag', 'k'.repeat(250))).not.toThrow();
  });
});

describe(fitValue.name, () => {
  it('truncates when allowed and refuses otherwise', () => {
    expect(fitValue('Param value', 'x'.repeat(7000), 6000, true)).toHaveLength(6000);
    expect(() => fitValue('Param value', 'x'.repeat(7000), 6000, false)).toThrow(/6000/);
    expect(fitValue('Param value', 'short', 6000, false)).toBe('short');
  });
});

describe(validateRunId.name, () => {
  it('accepts MLflow run ids and refuses path-like ones with the recorded message', () => {
    expect(() => validateRunId('0123456789abcdef0123456789abcdef')).not.toThrow();
    expect(() => validateRunId('../etc')).toThrow(
      `Invalid value "../etc" for parameter 'run_id' supplied.`,
    );
  });
});

describe(lastValuePerKey.name, () => {
  it('keeps the last value of each key', () => {
    expect(
      lastValuePerKey([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
      ]),
    ).toEqual([
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
  });
});
