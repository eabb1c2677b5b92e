import { loadEnv } from './load-env';
import { learnerKeyPrefixes, ServerEnv } from './server-env';
import {
  ArtifactRole,
  ArtifactStoreSettings,
  artifactStoreSettings,
  backendStoreSettings,
} from './store-settings';

describe(loadEnv.name, () => {
  it('applies defaults', () => {
    const env = loadEnv(ServerEnv, {});
    expect(env.PORT).toBe(5000);
    expect(env.BACKEND_STORE_URI).toBe('sqlite:///data/mlflow.db');
    expect(env.DEFAULT_ARTIFACT_ROOT).toBe('mlflow-artifacts:/');
    expect(env.ARTIFACTS_DESTINATION).toBeUndefined();
    expect(env.ARTIFACT_PROXY_TIMEOUT_SECONDS).toBe(30);
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
  const settings = (env: NodeJS.ProcessEnv, role: ArtifactRole): ArtifactStoreSettings =>
    role === 'serves-artifacts'
      ? artifactStoreSettings(loadEnv(ServerEnv, env), role)
      : artifactStoreSettings(loadEnv(ServerEnv, env), role);

  it('passes ARTIFACTS_DESTINATION through, defaulting for the services that serve artifacts', () => {
    expect(settings({ ARTIFACTS_DESTINATION: 'sftp://u@h/a' }, 'serves-artifacts')).toEqual({
      destination: 'sftp://u@h/a',
    });
    expect(settings({}, 'serves-artifacts')).toEqual({ destination: 'file:./data/artifacts' });
    expect(settings({ ARTIFACTS_DESTINATION: 'ftp://h/a' }, 'reads-artifacts')).toEqual({
      destination: 'ftp://h/a',
    });
  });

  it('reads artifacts through the proxy with ARTIFACT_PROXY_URL', () => {
    expect(
      settings(
        {
          ARTIFACT_PROXY_URL: 'http://10.30.0.3:5003',
          ARTIFACT_PROXY_TOKEN: 'tok',
          ARTIFACT_PROXY_TIMEOUT_SECONDS: '7',
        },
        'reads-artifacts',
      ),
    ).toEqual({ proxy: { url: 'http://10.30.0.3:5003', serviceToken: 'tok', timeoutMs: 7000 } });
  });

  it.each([
    [
      {},
      /needs ARTIFACT_PROXY_URL \(the proxy, e\.g\. http:\/\/10\.30\.0\.3:5003\) or ARTIFACTS_DESTINATION/,
    ],
    [
      { ARTIFACT_PROXY_URL: 'http://p:5003', ARTIFACTS_DESTINATION: 'ftp://h/a' },
      /ARTIFACT_PROXY_URL and ARTIFACTS_DESTINATION are both set/,
    ],
    [
      { ARTIFACTS_DESTINATION: 'ftp://h/a', ARTIFACT_PROXY_TOKEN: 't' },
      /ARTIFACT_PROXY_TOKEN is only used with ARTIFACT_PROXY_URL/,
    ],
  ])('refuses to boot tracking or the registry with %j', (env, message) => {
    expect(() => settings(env, 'reads-artifacts')).toThrow(message);
  });

  it('refuses ARTIFACT_PROXY_URL where the service serves artifacts itself', () => {
    expect(() => settings({ ARTIFACT_PROXY_URL: 'http://p:5003' }, 'serves-artifacts')).toThrow(
      /ARTIFACT_PROXY_URL is for tracking and the model registry/,
    );
  });

  it('refuses a proxy URL with credentials, never echoing it', () => {
    expect(() => loadEnv(ServerEnv, { ARTIFACT_PROXY_URL: 'http://u:secret@p:5003' })).toThrow(
      /ARTIFACT_PROXY_URL must be an http\(s\) URL without credentials/,
    );
    expect(() => loadEnv(ServerEnv, { ARTIFACT_PROXY_URL: 'http://u:secret@p:5003' })).not.toThrow(
      /secret/,
    );
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
