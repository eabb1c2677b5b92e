import {
  imageType,
  normalizeArtifactPath,
  parentFolders,
  previewKind,
  proxyDownloadPath,
  visibleTreeRows,
} from './artifacts';

describe('artifact paths', () => {
  it('normalises URL paths and refuses traversal', () => {
    expect(normalizeArtifactPath('/a//b/c.txt')).toBe('a/b/c.txt');
    expect(normalizeArtifactPath('a/../b')).toBeUndefined();
    expect(normalizeArtifactPath('./x')).toBeUndefined();
    expect(normalizeArtifactPath('')).toBeUndefined();
  });

  it('lists the folders above a path', () => {
    expect(parentFolders('a/b/c.txt')).toEqual(['a', 'a/b']);
    expect(parentFolders('c.txt')).toEqual([]);
  });

  it('maps a run artifact_uri onto the proxy download route, encoding segments', () => {
    expect(proxyDownloadPath('mlflow-artifacts:/1/abc/artifacts', 'model/MLmodel')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/MLmodel',
    );
    expect(proxyDownloadPath('mlflow-artifacts:/1/abc/artifacts/', 'a b#.txt')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a%20b%23.txt',
    );
    expect(proxyDownloadPath('s3://bucket/x', 'a')).toBeUndefined();
  });
});

describe('visibleTreeRows', () => {
  const children = new Map([
    [
      '',
      [
        { path: 'z.txt', isDir: false, size: 3 },
        { path: 'model', isDir: true },
      ],
    ],
    ['model', [{ path: 'model/MLmodel', isDir: false, size: 10 }]],
  ]);

  it('puts folders first and hides collapsed children', () => {
    const rows = visibleTreeRows(children, new Set());
    expect(rows.map((r) => r.path)).toEqual(['model', 'z.txt']);
    expect(rows[0].expanded).toBe(false);
  });

  it('shows an expanded folder’s children one level deeper', () => {
    const rows = visibleTreeRows(children, new Set(['model']));
    expect(rows.map((r) => [r.name, r.depth])).toEqual([
      ['model', 0],
      ['MLmodel', 1],
      ['z.txt', 0],
    ]);
  });
});

describe('previewKind', () => {
  it('chooses by name, SVG as text, unknown as none', () => {
    expect(previewKind('model/MLmodel')).toBe('text');
    expect(previewKind('a/conf.yaml')).toBe('text');
    expect(previewKind('x.JSON')).toBe('json');
    expect(previewKind('t.csv')).toBe('csv');
    expect(previewKind('p.png')).toBe('image');
    expect(previewKind('p.svg')).toBe('text');
    expect(previewKind('page.html')).toBe('none');
    expect(previewKind('model.pkl')).toBe('none');
    expect(imageType('a.jpg')).toBe('image/jpeg');
    expect(imageType('a.svg')).toBeUndefined();
  });
});
