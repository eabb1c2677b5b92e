import { invalidParameterTypeError, MlflowError } from '@app/domain';

import { numberLiteralAt, withNumbersAsWritten } from './number-literals';

describe(numberLiteralAt.name, () => {
  it.each([
    ['{"name": 9.0}', ['name'], '9.0'],
    ['{"artifactLocation": 1e3}', ['artifact_location'], '1e3'],
    ['{"metrics": [{"key": 1}, {"key": 2.50}]}', ['metrics', 1, 'key'], '2.50'],
    ['{"name": "9.0"}', ['name'], null],
    ['{"name": 9}', ['other'], null],
    ['not json', ['name'], null],
  ])('%s at %j → %j', (text, path, literal) => {
    expect(numberLiteralAt(text, path as (string | number)[])).toBe(literal);
  });
});

describe(withNumbersAsWritten.name, () => {
  it('prints an integral float as Python does, typed float', () => {
    const error = withNumbersAsWritten(invalidParameterTypeError('name', 9), '{"name": 9.0}');
    expect((error as MlflowError).message).toBe(
      "Invalid value 9.0 for parameter 'name' supplied:  Hint: Value was of type 'float'. See the API docs for more information about request parameters.",
    );
    const big = withNumbersAsWritten(
      invalidParameterTypeError('tags[0].key', 1e20),
      '{"tags": [{"key": 1e20}]}',
    );
    expect((big as MlflowError).message).toContain(
      "Invalid value 1e+20 for parameter 'tags[0].key'",
    );
  });

  it('leaves integers, other errors and parsed bodies alone', () => {
    const integer = invalidParameterTypeError('name', 123);
    expect(withNumbersAsWritten(integer, '{"name": 123}')).toBe(integer);
    const other = MlflowError.invalidParameterValue('Invalid path');
    expect(withNumbersAsWritten(other, '{"name": 9.0}')).toBe(other);
    expect(withNumbersAsWritten(integer, { name: 9 })).toBe(integer);
  });
});
