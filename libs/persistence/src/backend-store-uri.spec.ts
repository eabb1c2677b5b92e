import { parseBackendStoreUri } from './backend-store-uri';

describe(parseBackendStoreUri.name, () => {
  it('parses relative and absolute SQLite paths', () => {
    expect(parseBackendStoreUri('sqlite:///data/mlflow.db')).toEqual({
      kind: 'sqlite',
      path: 'data/mlflow.db',
    });
    expect(parseBackendStoreUri('sqlite:////tmp/x.db')).toEqual({
      kind: 'sqlite',
      path: '/tmp/x.db',
    });
  });

  it('parses MySQL URIs, FLOps pymysql form included, decoding credentials', () => {
    expect(parseBackendStoreUri('mysql+pymysql://root:oak%40stra@10.0.0.5:3307/alice')).toEqual({
      kind: 'mysql',
      host: '10.0.0.5',
      port: 3307,
      user: 'root',
      password: 'oak@stra',
      database: 'alice',
    });
  });

  it('refuses unknown schemes and MySQL URIs without a database, naming the known schemes', () => {
    expect(() => parseBackendStoreUri('postgresql://x/y')).toThrow(/sqlite:\/\/\/, mysql:\/\//);
    expect(() => parseBackendStoreUri('mysql://root@localhost:3306/')).toThrow(
      /must name a database/,
    );
  });
});
