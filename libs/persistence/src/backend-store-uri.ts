import { MlflowError } from '@app/domain';

export type BackendStoreTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'mysql'; host: string; port: number; user: string; password: string; database: string };

/**
 * Parses BACKEND_STORE_URI the way MLflow does: `sqlite:///relative.db`, `sqlite:////abs/path.db`,
 * `sqlite:///:memory:`, and `mysql://user:pass@host:port/db` (`mysql+pymysql://` and
 * `mysql+mysqldb://` are accepted so FLOps' existing URIs work unchanged).
 */
export function parseBackendStoreUri(uri: string): BackendStoreTarget {
  const sqlite = /^sqlite:\/\/\/(.+)$/.exec(uri);
  if (sqlite) {
    return { kind: 'sqlite', path: sqlite[1] };
  }
  if (/^mysql(\+\w+)?:\/\//.test(uri)) {
    const url = new URL(uri.replace(/^mysql(\+\w+)?:/, 'mysql:'));
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!database) {
      throw MlflowError.invalidParameterValue(
        'BACKEND_STORE_URI must name a database: mysql://user:pass@host:port/db',
      );
    }
    return {
      kind: 'mysql',
      host: url.hostname || '127.0.0.1',
      port: url.port ? Number(url.port) : 3306,
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database,
    };
  }
  throw MlflowError.invalidParameterValue(
    `Unsupported BACKEND_STORE_URI scheme; known schemes: sqlite:///, mysql://`,
  );
}
