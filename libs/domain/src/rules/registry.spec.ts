import { MlflowError } from '../errors';
import { FilterClause } from '../search/search-types';
import {
  canonicalStage,
  isWithinLocation,
  joinLocation,
  parseModelSource,
  parseModelsUri,
  parseModelVersion,
  scopePrompts,
  tryParseLocation,
  validateAliasName,
  validateAliasNotReserved,
  validateArchiveTarget,
  validateRegistryTag,
} from './registry';

function errorOf(fn: () => unknown): MlflowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error('expected an MlflowError');
}

describe(canonicalStage.name, () => {
  it('accepts any case and returns the canonical spelling', () => {
    expect(canonicalStage('production')).toBe('Production');
    expect(canonicalStage('STAGING')).toBe('Staging');
    expect(canonicalStage('none')).toBe('None');
    expect(canonicalStage('archived')).toBe('Archived');
  });

  it("refuses unknown stages and the internal deleted stage with MLflow's message", () => {
    expect(errorOf(() => canonicalStage('Testing')).message).toBe(
      'Invalid Model Version stage: Testing. Value must be one of None, Staging, Production, Archived.',
    );
    expect(errorOf(() => canonicalStage('Deleted_Internal')).code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe(validateArchiveTarget.name, () => {
  it('allows archiving only into Staging or Production, as a 4xx error', () => {
    expect(() => validateArchiveTarget('production', 'Production', true)).not.toThrow();
    expect(() => validateArchiveTarget('Archived', 'Archived', false)).not.toThrow();
    const error = errorOf(() => validateArchiveTarget('Archived', 'Archived', true));
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toBe(
      "Model version transition cannot archive existing model versions because 'Archived' is not an Active stage. Valid stages are ['Staging', 'Production']",
    );
  });
});

describe(parseModelVersion.name, () => {
  it('reads what Python int() reads', () => {
    expect(parseModelVersion('3')).toBe(3);
    expect(parseModelVersion(' 07 ')).toBe(7);
    expect(parseModelVersion('+2')).toBe(2);
  });

  it('maps numbers no version can have to null', () => {
    expect(parseModelVersion('0')).toBeNull();
    expect(parseModelVersion('-1')).toBeNull();
    expect(parseModelVersion('99999999999999999999')).toBeNull();
  });

  it("refuses non-integers with MLflow's message", () => {
    expect(errorOf(() => parseModelVersion('one')).message).toBe(
      "Model version must be an integer, got 'one'",
    );
    expect(() => parseModelVersion('1.5')).toThrow(MlflowError);
    expect(() => parseModelVersion('')).toThrow(MlflowError);
  });
});

describe('alias rules', () => {
  it('reserves latest in any case and v<digits> in either case', () => {
    expect(errorOf(() => validateAliasNotReserved('LaTeSt')).message).toBe(
      "'latest' alias name (case insensitive) is reserved.",
    );
    expect(errorOf(() => validateAliasNotReserved('v1')).message).toBe(
      "Version alias name 'v1' is reserved.",
    );
    expect(() => validateAliasNotReserved('V42')).toThrow(MlflowError);
    expect(() => validateAliasNotReserved('v1a')).not.toThrow();
    expect(() => validateAliasNotReserved('champion')).not.toThrow();
  });

  it('allows word characters and dashes up to 255 characters', () => {
    expect(() => validateAliasName('champion-2_b')).not.toThrow();
    expect(() => validateAliasName('a'.repeat(255))).not.toThrow();
    expect(() => validateAliasName('a'.repeat(256))).toThrow(MlflowError);
    for (const bad of ['has space', 'dot.ted', 'slash/ed', '../x', 'é-ok?']) {
      expect(errorOf(() => validateAliasName(bad)).code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

describe(validateRegistryTag.name, () => {
  it('applies the tag key rules, the 100,000 character and the 65,535 byte value limits', () => {
    expect(() => validateRegistryTag({ key: 'team', value: 'x'.repeat(65_535) })).not.toThrow();
    expect(() => validateRegistryTag({ key: 'team', value: 'x'.repeat(65_536) })).toThrow(
      "'Tag value' exceeds the maximum size of 65535 bytes (got 65536).",
    );
    expect(() => validateRegistryTag({ key: 'team', value: 'é'.repeat(32_768) })).toThrow(
      MlflowError,
    );
    expect(() => validateRegistryTag({ key: 'team', value: 'x'.repeat(100_001) })).toThrow();
    expect(() => validateRegistryTag({ key: 'a/../b', value: '' })).toThrow(MlflowError);
    expect(() => validateRegistryTag({ key: 'k'.repeat(251), value: '' })).toThrow(MlflowError);
  });
});

describe(parseModelSource.name, () => {
  it('splits the sources clients send', () => {
    expect(parseModelSource('mlflow-artifacts:/9/0a1b/artifacts/model')).toEqual({
      kind: 'mlflow-artifacts',
      scheme: 'mlflow-artifacts',
      authority: '',
      path: '9/0a1b/artifacts/model',
      absolute: true,
    });
    expect(parseModelSource('runs:/0a1b/model')).toMatchObject({
      kind: 'runs',
      path: '0a1b/model',
    });
    expect(parseModelSource('models:/m-abc')).toMatchObject({ kind: 'models', path: 'm-abc' });
    expect(parseModelSource('S3://Bucket/path/to/model/')).toMatchObject({
      kind: 'remote',
      scheme: 's3',
      authority: 'bucket',
      path: 'path/to/model',
    });
    expect(parseModelSource('file:///data/run/artifacts')).toMatchObject({
      kind: 'local',
      path: 'data/run/artifacts',
      absolute: true,
    });
    expect(parseModelSource('relative/dir')).toMatchObject({ kind: 'local', absolute: false });
  });

  it('collapses repeated slashes and a trailing slash like MLflow', () => {
    expect(parseModelSource('mlflow-artifacts:/9//run///artifacts/model/').path).toBe(
      '9/run/artifacts/model',
    );
  });

  it.each([
    'mlflow-artifacts:/9/run/artifacts/../../model',
    'mlflow-artifacts://h/../../../',
    'mlflow-artifacts:/9/run/artifacts%00',
    'mlflow-artifacts:/9/run/artifacts/..%2f..%2fetc',
    'mlflow-artifacts:/9/run/artifacts/%252e%252e%252fetc',
    'mlflow-artifacts:/9/run/artifacts/%25252e%25252e/etc',
    'mlflow-artifacts:/9/run/artifacts/%c0%ae%c0%ae/etc',
    'mlflow-artifacts:/9/run/./artifacts',
    'mlflow-artifacts:/9/run/artifacts/\uff0e\uff0e/etc',
    's3:/b/p/../../q',
    'http:///#/../../',
    'http://host/a?x=../..',
    'http://host/a;/../x',
    'https://ho st/x',
    '\\..\\..',
    'a\r\nb',
    'runs://profile/run/model',
  ])('refuses %j with INVALID_PARAMETER_VALUE', (source) => {
    expect(errorOf(() => parseModelSource(source)).code).toBe('INVALID_PARAMETER_VALUE');
  });

  it("quotes the source in MLflow's relative-path message", () => {
    expect(errorOf(() => parseModelSource('s3://b/a/../c')).message).toBe(
      "Invalid model version source: 's3://b/a/../c'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.",
    );
  });

  it('refuses schemes outside the allow-list and file URIs naming another host', () => {
    expect(errorOf(() => parseModelSource('javascript:alert(1)')).message).toContain(
      "Unsupported URI scheme 'javascript'",
    );
    expect(errorOf(() => parseModelSource('file://otherhost/x')).message).toContain(
      'To use a local path as a model version source',
    );
  });

  it('refuses sources longer than 4096 characters', () => {
    expect(() => parseModelSource(`s3://b/${'x'.repeat(4096)}`)).toThrow(MlflowError);
  });
});

describe(isWithinLocation.name, () => {
  const loc = (uri: string) => tryParseLocation(uri)!;

  it('accepts the root itself and paths below it', () => {
    const root = loc('mlflow-artifacts:/9/run/artifacts');
    expect(isWithinLocation(loc('mlflow-artifacts:/9/run/artifacts'), root)).toBe(true);
    expect(isWithinLocation(loc('mlflow-artifacts:/9/run/artifacts/model'), root)).toBe(true);
  });

  it('refuses siblings, prefixes that are not whole segments, other schemes and hosts', () => {
    const root = loc('mlflow-artifacts:/9/run/artifacts');
    expect(isWithinLocation(loc('mlflow-artifacts:/9/run'), root)).toBe(false);
    expect(isWithinLocation(loc('mlflow-artifacts:/9/run/artifacts2/model'), root)).toBe(false);
    expect(isWithinLocation(loc('mlflow-artifacts:/8/run/artifacts/model'), root)).toBe(false);
    expect(isWithinLocation(loc('s3://9/run/artifacts/model'), root)).toBe(false);
    expect(isWithinLocation(loc('mlflow-artifacts://evil/9/run/artifacts/model'), root)).toBe(
      false,
    );
  });

  it('never places a relative local path inside anything', () => {
    expect(isWithinLocation(loc('data/run'), loc('file:///data'))).toBe(false);
    expect(isWithinLocation(loc('/data/run/model'), loc('file:///data/run'))).toBe(true);
  });
});

describe(joinLocation.name, () => {
  it('joins a relative path under a root', () => {
    expect(joinLocation('mlflow-artifacts:/9/run/artifacts', 'model')).toBe(
      'mlflow-artifacts:/9/run/artifacts/model',
    );
    expect(joinLocation('mlflow-artifacts:/9/run/artifacts/', '')).toBe(
      'mlflow-artifacts:/9/run/artifacts/',
    );
  });
});

describe(parseModelsUri.name, () => {
  const id = `m-${'a'.repeat(32)}`;

  it('recognises logged models, aliases and versions', () => {
    expect(parseModelsUri('x', id)).toEqual({ kind: 'logged-model', modelId: id, subpath: '' });
    expect(parseModelsUri('x', `${id}/sub/dir`)).toEqual({
      kind: 'logged-model',
      modelId: id,
      subpath: 'sub/dir',
    });
    expect(parseModelsUri('x', 'fraud@champion')).toEqual({
      kind: 'alias',
      name: 'fraud',
      alias: 'champion',
    });
    expect(parseModelsUri('x', 'fraud/3')).toEqual({
      kind: 'version',
      name: 'fraud',
      version: '3',
    });
  });

  it('refuses paths with more segments', () => {
    expect(() => parseModelsUri('models:/a/b/c', 'a/b/c')).toThrow(MlflowError);
    expect(() => parseModelsUri('models:/', '')).toThrow(MlflowError);
  });
});

describe(scopePrompts.name, () => {
  const prompt = (comparator: FilterClause['comparator'], value: string): FilterClause => ({
    type: 'tag',
    key: 'mlflow.prompt.is_prompt',
    comparator,
    value,
  });
  const name: FilterClause = { type: 'attribute', key: 'name', comparator: '=', value: 'x' };

  it('includes prompts only when the prompt tag is asked for', () => {
    expect(scopePrompts([name, prompt('=', 'TRUE')])).toEqual({
      filter: [name, prompt('=', 'TRUE')],
      includePrompts: true,
    });
    expect(scopePrompts([prompt('!=', 'false')]).includePrompts).toBe(true);
  });

  it('otherwise excludes prompts and drops the prompt-tag clauses', () => {
    expect(scopePrompts([name])).toEqual({ filter: [name], includePrompts: false });
    expect(scopePrompts([prompt('=', 'false'), name])).toEqual({
      filter: [name],
      includePrompts: false,
    });
    expect(scopePrompts([prompt('LIKE', 'tr%')]).includePrompts).toBe(false);
  });
});
