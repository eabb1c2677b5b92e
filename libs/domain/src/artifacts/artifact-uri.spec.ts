import { MlflowError } from '../errors';
import { artifactPathOfUri, artifactPathUnder } from './artifact-uri';

describe('artifactPathOfUri', () => {
  it.each([
    ['mlflow-artifacts:/1/abc/artifacts', '1/abc/artifacts'],
    ['mlflow-artifacts:///1/abc/artifacts', '1/abc/artifacts'],
    ['mlflow-artifacts://tracking:5000/1/abc/artifacts', '1/abc/artifacts'],
    ['mlflow-artifacts:/0', '0'],
    ['mlflow-artifacts:/', ''],
    ['mlflow-artifacts:', ''],
    ['MLFLOW-ARTIFACTS:/2/models/m-1/artifacts', '2/models/m-1/artifacts'],
  ])('maps %s to %j', (uri, path) => {
    expect(artifactPathOfUri(uri)).toBe(path);
  });

  it.each(['s3://bucket/1/abc', 'file:///tmp/x', 'ftp://u:p@h/x', '/1/abc', 'runs:/abc/model'])(
    'is null for %s, which this server does not store',
    (uri) => {
      expect(artifactPathOfUri(uri)).toBeNull();
    },
  );

  it.each([
    'mlflow-artifacts:/1/../../etc',
    'mlflow-artifacts:/1/%2e%2e/x',
    'mlflow-artifacts:/a\\b',
  ])('refuses the unsafe %s', (uri) => {
    expect(() => artifactPathOfUri(uri)).toThrow(MlflowError);
  });
});

describe('artifactPathUnder', () => {
  it('joins a client path under a root, canonicalised', () => {
    expect(artifactPathUnder('1/abc/artifacts', 'dir//./file.txt')).toBe(
      '1/abc/artifacts/dir/file.txt',
    );
    expect(artifactPathUnder('1/abc/artifacts', '')).toBe('1/abc/artifacts');
    expect(artifactPathUnder('', 'x')).toBe('x');
  });

  it.each(['..', '../x', 'a/../../b', '%2e%2e/x', '/etc/passwd', 'a\\b', 'a%00b'])(
    'refuses %j with Invalid path',
    (relative) => {
      expect(() => artifactPathUnder('1/abc/artifacts', relative)).toThrow('Invalid path');
    },
  );

  it('refuses a root that is not canonical', () => {
    expect(() => artifactPathUnder('1/../x', 'y')).toThrow('Invalid path');
  });
});
