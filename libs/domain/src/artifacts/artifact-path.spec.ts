import { MlflowError } from '../errors';
import {
  artifactPathScope,
  canonicalArtifactPath,
  holdsEntityDirectories,
  joinUnderRoot,
} from './artifact-path';

function rejection(fn: () => unknown): MlflowError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MlflowError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

function expectInvalid(fn: () => unknown): void {
  const err = rejection(fn);
  expect(err.code).toBe('INVALID_PARAMETER_VALUE');
  expect(err.message).toBe('Invalid path');
}

describe(canonicalArtifactPath.name, () => {
  describe('accepts and canonicalises', () => {
    it.each([
      ['0/abc/artifacts/model/MLmodel', '0/abc/artifacts/model/MLmodel'],
      ['a//b', 'a/b'],
      ['a/./b/', 'a/b'],
      ['./a', 'a'],
      ['a/b/.', 'a/b'],
      ['a%2Fb', 'a/b'],
      ['dir%20with%20space/f.txt', 'dir with space/f.txt'],
      ['100%.txt', '100%.txt'],
      ['50%25', '50%'],
      ['a+b', 'a+b'],
      ['...', '...'],
      ['a..b/..c/d..', 'a..b/..c/d..'],
      ['.hidden/x', '.hidden/x'],
      ['na\u00efve \u6587\u4ef6.txt', 'na\u00efve \u6587\u4ef6.txt'],
      ['%E6%96%87', '\u6587'],
      ['emoji-\u{1F600}', 'emoji-\u{1F600}'],
      ['model:v1/x', 'model:v1/x'],
    ])('%j -> %j', (raw, canonical) => {
      expect(canonicalArtifactPath(raw)).toBe(canonical);
    });

    it('NFC-normalises (NFD input gives the NFC name)', () => {
      const nfd = 'cafe\u0301.txt';
      expect(canonicalArtifactPath(nfd)).toBe('caf\u00e9.txt');
      expect(canonicalArtifactPath('caf%C3%A9.txt')).toBe('caf\u00e9.txt');
    });

    it.each(['', '.', './.', './/', '%2e', '%2E/', '%2e%2f%2e', '././.'])(
      '%j is the root (the caller decides whether the root is allowed)',
      (raw) => {
        expect(canonicalArtifactPath(raw)).toBe('');
      },
    );

    it('is idempotent', () => {
      for (const raw of ['a//b/./c', 'x%2520y', 'caf\u0065\u0301', '100%.txt']) {
        const once = canonicalArtifactPath(raw);
        expect(canonicalArtifactPath(once)).toBe(once);
      }
    });

    it('accepts exactly 64 segments and 1024 bytes', () => {
      expect(canonicalArtifactPath(Array(64).fill('a').join('/'))).toHaveLength(127);
      expect(canonicalArtifactPath('a'.repeat(1024))).toHaveLength(1024);
    });
  });

  describe('rejects traversal', () => {
    it.each(['..', '../', '../../etc/passwd', 'a/../../b', 'a/..', 'a/b/../c', './..', 'a/./../b'])(
      '%j',
      (raw) => expectInvalid(() => canonicalArtifactPath(raw)),
    );
  });

  describe('rejects encoded traversal', () => {
    it.each([
      '%2e%2e/',
      '%2e%2e%2f',
      '%2E%2E%2Fetc%2Fpasswd',
      '..%2f',
      '..%2F..%2Fetc',
      '.%2e/x',
      'a/%2e%2e',
      '%252e%252e%252f',
      '%252e%252e/x',
      '%25252e%25252e%25252f',
      '%2525252e%2525252e',
      '..%5c',
      '..%5C..%5Cx',
      '%c0%ae%c0%ae/',
      '%C0%AE%C0%AE%C0%AF',
      '%e0%80%ae%e0%80%ae/',
      '%c0%2e%c0%2e',
      '%80',
      '%ff%fe',
    ])('%j', (raw) => expectInvalid(() => canonicalArtifactPath(raw)));
  });

  it('rejects values that keep decoding for more than 10 rounds', () => {
    let value = 'x%41';
    for (let i = 0; i < 11; i++) value = value.replace(/%/g, '%25');
    expectInvalid(() => canonicalArtifactPath(value));

    let nine = 'x%41';
    for (let i = 0; i < 8; i++) nine = nine.replace(/%/g, '%25');
    expect(canonicalArtifactPath(nine)).toBe('xA');
  });

  describe('rejects backslashes (a separator, as on Windows)', () => {
    it.each(['..\\..\\x', 'a\\..\\..\\b', '\\\\host\\share\\x', 'a\\b', 'a%5Cb', 'C:\\x'])(
      '%j',
      (raw) => expectInvalid(() => canonicalArtifactPath(raw)),
    );
  });

  describe('rejects absolute paths, drive letters and URIs', () => {
    it.each([
      '/etc/passwd',
      '//etc/passwd',
      '%2Fetc%2Fpasswd',
      '%252Fetc',
      '/',
      'C:/x',
      'C:',
      'c:relative',
      'file:///etc/passwd',
      'file://host/x',
      'file:relative',
      'FILE:/x',
      'ftp://user:pass@host/x',
      'http://h/p',
      's3://bucket/key',
    ])('%j', (raw) => expectInvalid(() => canonicalArtifactPath(raw)));
  });

  describe('rejects fragments and params', () => {
    it.each([
      'a#/../../x',
      'a#b',
      '#',
      'a;/../x',
      'a;b',
      'a?x=../..',
      'a?',
      'a%23b',
      'a%3Fb',
      'a%3bb',
    ])('%j', (raw) => expectInvalid(() => canonicalArtifactPath(raw)));
  });

  describe('rejects control characters (FTP command injection)', () => {
    it.each([
      'a%00b',
      'a\u0000b',
      'a%0d%0aDELE%20x',
      'a\r\nRMD /',
      'a\nb',
      'a\rb',
      'a\tb',
      'a\u001fb',
      'a\u007fb',
      'a%7Fb',
      'a\u0085b',
      'a%C2%85b',
      'a\u2028b',
      'a\u2029b',
      'evil\u202Etxt.exe',
      'a%250d%250aDELE',
    ])('%j', (raw) => expectInvalid(() => canonicalArtifactPath(raw)));
  });

  describe('rejects unicode dot/slash look-alikes', () => {
    it.each([
      '\uFF0E\uFF0E\uFF0F',
      '\uFF0E\uFF0E/x',
      'a\uFF0Fb',
      '\u2024\u2024/',
      '\u2025/x',
      'a\u2026',
      '\uFE52\uFE52/x',
      'a\u2215b',
      'a\u2044b',
      'a\u29F8b',
      'a\uFF3Cb',
      'a\uFE68b',
      'x\u3002\u3002/y',
      '%EF%BC%8E%EF%BC%8E%EF%BC%8F',
      '%E2%80%A4%E2%80%A4/',
    ])('%j', (raw) => expectInvalid(() => canonicalArtifactPath(raw)));

    it('rejects lone surrogates', () => {
      expectInvalid(() => canonicalArtifactPath('a\uD800b'));
      expectInvalid(() => canonicalArtifactPath('a\uDC00'));
    });
  });

  describe('rejects long and deep paths', () => {
    it('more than 1024 bytes', () => {
      expectInvalid(() => canonicalArtifactPath('a'.repeat(1025)));
      expectInvalid(() => canonicalArtifactPath('\u00e9'.repeat(513)));
      expectInvalid(() => canonicalArtifactPath('%61'.repeat(1025)));
    });

    it('more than 64 segments', () => {
      expectInvalid(() => canonicalArtifactPath(Array(65).fill('a').join('/')));
    });

    it('huge raw input without decoding it', () => {
      expectInvalid(() => canonicalArtifactPath('a/'.repeat(100_000)));
    });
  });

  it('rejects non-strings', () => {
    expectInvalid(() => canonicalArtifactPath(undefined as unknown as string));
    expectInvalid(() => canonicalArtifactPath(42 as unknown as string));
  });
});

describe(joinUnderRoot.name, () => {
  it('joins canonical paths under the root', () => {
    expect(joinUnderRoot('/srv/artifacts', '0/r/artifacts/x')).toBe(
      '/srv/artifacts/0/r/artifacts/x',
    );
    expect(joinUnderRoot('/srv/artifacts/', 'x')).toBe('/srv/artifacts/x');
    expect(joinUnderRoot('/srv/artifacts', '')).toBe('/srv/artifacts');
    expect(joinUnderRoot('/', 'x/y')).toBe('/x/y');
    expect(joinUnderRoot('/', '')).toBe('/');
    expect(joinUnderRoot('data/artifacts', 'x')).toBe('data/artifacts/x');
  });

  it.each(['../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a/', '%2e%2e', 'a\r\nb', 'a\\b'])(
    'rejects the non-canonical or escaping %j',
    (relative) => expectInvalid(() => joinUnderRoot('/srv/artifacts', relative)),
  );

  it('does not treat a sibling with the same prefix as inside', () => {
    expect(joinUnderRoot('/srv/art', 'x')).toBe('/srv/art/x');
    expectInvalid(() => joinUnderRoot('/srv/art', '../artifacts/x'));
  });
});

describe(artifactPathScope.name, () => {
  const RUN = '0123456789abcdef0123456789abcdef';
  it.each([
    [`12/${RUN}`, { kind: 'run', path: `12/${RUN}`, experimentId: '12', runId: RUN, rest: '' }],
    [
      `12/${RUN}/artifacts`,
      { kind: 'run', path: `12/${RUN}/artifacts`, experimentId: '12', runId: RUN, rest: '' },
    ],
    [
      `12/${RUN}/artifacts/model/MLmodel`,
      {
        kind: 'run',
        path: `12/${RUN}/artifacts/model/MLmodel`,
        experimentId: '12',
        runId: RUN,
        rest: 'model/MLmodel',
      },
    ],
    [
      `12//${RUN}/./artifacts/x/`,
      { kind: 'run', path: `12/${RUN}/artifacts/x`, experimentId: '12', runId: RUN, rest: 'x' },
    ],
    [
      '3/models/m-1',
      { kind: 'logged-model', path: '3/models/m-1', experimentId: '3', modelId: 'm-1', rest: '' },
    ],
    [
      '3/models/m-1/artifacts/MLmodel',
      {
        kind: 'logged-model',
        path: '3/models/m-1/artifacts/MLmodel',
        experimentId: '3',
        modelId: 'm-1',
        rest: 'MLmodel',
      },
    ],
    [
      '3/traces/tr-1/artifacts/traces.json',
      {
        kind: 'trace',
        path: '3/traces/tr-1/artifacts/traces.json',
        experimentId: '3',
        traceId: 'tr-1',
        rest: 'traces.json',
      },
    ],
  ])('%j names an entity', (path, scope) => {
    expect(artifactPathScope(path)).toEqual(scope);
  });

  it.each([
    ['', ''],
    ['.', ''],
    ['.//', ''],
    ['0', '0'],
    ['a.txt', 'a.txt'],
    ['dir//MLmodel', 'dir/MLmodel'],
    ['12/abc/artifacts/x', '12/abc/artifacts/x'],
    [`${RUN}/${RUN}/artifacts`, `${RUN}/${RUN}/artifacts`],
    ['3/models', '3/models'],
    ['3/traces', '3/traces'],
    ['models/m-1/artifacts', 'models/m-1/artifacts'],
  ])('%j is a free path', (path, canonical) => {
    expect(artifactPathScope(path)).toEqual({ kind: 'free', path: canonical });
  });

  it.each(['%2e%2e', `12/${RUN}/other`, `12/${RUN}/x/artifacts`, '3/models/m-1/x', '../0/r'])(
    'rejects %j',
    (path) => expectInvalid(() => artifactPathScope(path)),
  );
});

describe(holdsEntityDirectories.name, () => {
  it.each([
    ['', true],
    ['1', true],
    ['1/models', true],
    ['1/traces', true],
    ['1/other', false],
    ['a.txt', false],
    ['dir', false],
    ['1/models/m-1/artifacts', false],
    [`1/${'a'.repeat(32)}`, false],
  ])('%j → %s', (path, holds) => {
    expect(holdsEntityDirectories(artifactPathScope(path))).toBe(holds);
  });
});
