import { loadEnv, ServerEnv } from './config';

describe(loadEnv.name, () => {
  it('applies defaults', () => {
    const env = loadEnv(ServerEnv, {});
    expect(env.PORT).toBe(5000);
    expect(env.BACKEND_STORE_URI).toBe('sqlite:///data/mlflow.db');
    expect(env.DEFAULT_ARTIFACT_ROOT).toBe('mlflow-artifacts:/');
  });

  it('converts numbers and accepts MySQL URIs', () => {
    const env = loadEnv(ServerEnv, { PORT: '7027', BACKEND_STORE_URI: 'mysql+pymysql://root:oakestra@db:3306/alice' });
    expect(env.PORT).toBe(7027);
  });

  it('lists every bad variable in one error', () => {
    expect(() =>
      loadEnv(ServerEnv, { PORT: 'abc', BACKEND_STORE_URI: 'postgres://x', DEFAULT_ARTIFACT_ROOT: 's3://bucket' }),
    ).toThrow(/PORT[\s\S]*BACKEND_STORE_URI[\s\S]*DEFAULT_ARTIFACT_ROOT/);
  });
});
