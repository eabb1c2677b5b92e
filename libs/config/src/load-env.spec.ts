import { loadEnv } from './load-env';
import { learnerKeyPrefixes, ServerEnv } from './server-env';
import { artifactStoreSettings, backendStoreSettings } from './store-settings';

describe(loadEnv.name, () => {
  it('applies defaults', () => {
    const env = loadEnv(ServerEnv, {});
    expect(env.PORT).toBe(5000);
    expect(env.BACKEND_STORE_URI).toBe('sqlite:///data/mlflow.db');
    expect(env.DEFAULT_ARTIFACT_ROOT).toBe('mlflow-artifacts:/');
    expect(env.ARTIFACTS_DESTINATION).toBe('file:./data/artifacts');
  });

  it('converts numbers and accepts MySQL URIs', () => {
    const env = loadEnv(ServerEnv, {
      PORT: '7027',
      BACKEND_STORE_URI: 'mysql+pymysql://root:oakestra@db:3306/alice',
    });
    expect(env.PORT).toBe(7027);
  });

  it('lists every bad variable in one error', () => {
    expect(() =>
      loadEnv(ServerEnv, {
        PORT: 'abc',
        BACKEND_STORE_URI: 'postgres://x',
        DEFAULT_ARTIFACT_ROOT: 's3://bucket',
        ARTIFACTS_DESTINATION: '',
      }),
    ).toThrow(
      /PORT[\s\S]*BACKEND_STORE_URI[\s\S]*DEFAULT_ARTIFACT_ROOT[\s\S]*ARTIFACTS_DESTINATION/,
    );
  });
});

describe(backendStoreSettings.name, () => {
  it('leaves auto-migration to the store unless MIGRATE_ON_START is set', () => {
    expect(backendStoreSettings(loadEnv(ServerEnv, {}))).toEqual({
      backendStoreUri: 'sqlite:///data/mlflow.db',
      defaultArtifactRoot: 'mlflow-artifacts:/',
      autoMigrate: undefined,
      poolSize: 10,
    });
    expect(
      backendStoreSettings(loadEnv(ServerEnv, { MIGRATE_ON_START: '0', DB_POOL_SIZE: '3' })),
    ).toMatchObject({ autoMigrate: false, poolSize: 3 });
  });
});

describe(artifactStoreSettings.name, () => {
  it('passes ARTIFACTS_DESTINATION through', () => {
    expect(
      artifactStoreSettings(loadEnv(ServerEnv, { ARTIFACTS_DESTINATION: 'sftp://u@h/a' })),
    ).toEqual({ destination: 'sftp://u@h/a' });
  });
});

describe(learnerKeyPrefixes.name, () => {
  it('refuses the six learner prefixes by default', () => {
    expect(learnerKeyPrefixes(loadEnv(ServerEnv, {}))).toEqual([
      'learner.',
      'learner/',
      'client.',
      'client/',
      'site.',
      'site/',
    ]);
  });

  it('takes a comma-separated list, blanks around entries ignored', () => {
    expect(
      learnerKeyPrefixes(loadEnv(ServerEnv, { LEARNER_KEY_PREFIXES: ' worker. , Party/ ' })),
    ).toEqual(['worker.', 'Party/']);
  });

  it.each(['', '  ', 'none', 'NONE'])('is off with %p', (value) => {
    expect(learnerKeyPrefixes(loadEnv(ServerEnv, { LEARNER_KEY_PREFIXES: value }))).toEqual([]);
  });

  it.each([
    ['client.,', /LEARNER_KEY_PREFIXES must not hold an empty prefix/],
    ['client.,a;b', /LEARNER_KEY_PREFIXES holds 'a;b', which no key can start with/],
    ['mlflow.', /LEARNER_KEY_PREFIXES holds 'mlflow.': mlflow.\* system tags are never refused/],
  ])('refuses %p at boot', (value, message) => {
    expect(() => loadEnv(ServerEnv, { LEARNER_KEY_PREFIXES: value })).toThrow(message);
  });
});
