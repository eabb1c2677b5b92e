/** Artifact paths, tree rows and preview kinds: pure, no DOM. */

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  size?: number;
}

export interface TreeRow extends ArtifactEntry {
  name: string;
  depth: number;
  expanded: boolean;
}

/** A run-relative artifact path from the URL: no empty, `.` or `..` segments, no leading slash. */
export function normalizeArtifactPath(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const segments = raw.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..' || s.includes('\\'))) return undefined;
  return segments.length ? segments.join('/') : undefined;
}

export function baseName(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? path : path.slice(at + 1);
}

/** The folders above a path, outermost first: `a/b/c.txt` → [`a`, `a/b`]. */
export function parentFolders(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
}

/**
 * The visible rows of a lazily loaded tree: `children` maps a folder ('' for the root) to its
 * listed entries; only folders in `expanded` whose listing has arrived show their children.
 */
export function visibleTreeRows(
  children: ReadonlyMap<string, readonly ArtifactEntry[]>,
  expanded: ReadonlySet<string>,
): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (folder: string, depth: number) => {
    const entries = [...(children.get(folder) ?? [])].sort((a, b) =>
      a.isDir === b.isDir ? a.path.localeCompare(b.path) : a.isDir ? -1 : 1,
    );
    for (const entry of entries) {
      const open = entry.isDir && expanded.has(entry.path);
      rows.push({ ...entry, name: baseName(entry.path), depth, expanded: open });
      if (open) walk(entry.path, depth + 1);
    }
  };
  walk('', 0);
  return rows;
}

/**
 * The artifact proxy's download path for a run's file: a run's artifact_uri is
 * `mlflow-artifacts:/<path>` and the proxy serves it at `/api/2.0/mlflow-artifacts/artifacts/<path>`.
 * Undefined when the run's artifacts are not behind the proxy.
 */
export function proxyDownloadPath(artifactUri: string, filePath: string): string | undefined {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*)$/.exec(artifactUri);
  if (!match) return undefined;
  const root = match[1].replace(/\/+$/, '');
  const path = [root, filePath].filter((p) => p !== '').join('/');
  return '/api/2.0/mlflow-artifacts/artifacts/' + path.split('/').map(encodeURIComponent).join('/');
}

export type PreviewKind = 'text' | 'json' | 'csv' | 'image' | 'none';

const TEXT = new Set(['txt', 'log', 'py', 'md', 'yaml', 'yml', 'svg', 'cfg', 'ini', 'toml']);
const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

function extension(path: string): string {
  const name = baseName(path);
  const at = name.lastIndexOf('.');
  return at <= 0 ? '' : name.slice(at + 1).toLowerCase();
}

/** How a file is previewed, by its name only (never by its content: SVG is shown as text). */
export function previewKind(path: string): PreviewKind {
  const name = baseName(path);
  if (name === 'MLmodel') return 'text';
  const ext = extension(path);
  if (ext === 'json') return 'json';
  if (ext === 'csv') return 'csv';
  if (ext in IMAGE_TYPES) return 'image';
  return TEXT.has(ext) ? 'text' : 'none';
}

/** The raster type to give an image blob, chosen from the extension, never from the server. */
export function imageType(path: string): string | undefined {
  return IMAGE_TYPES[extension(path)];
}
