import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { httpSettings } from './http-settings';
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
    expect(settings({ ARTIFACTS_DESTINATION: 'sftp://u@h/a' }, 'serves-artifacts')).toMatchObject({
      destination: 'sftp://u@h/a',
    });
    expect(settings({}, 'serves-artifacts')).toMatchObject({
      destination: 'file:./data/artifacts',
    });
    expect(settings({ ARTIFACTS_DESTINATION: 'ftp://h/a' }, 'reads-artifacts')).toMatchObject({
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

  it('passes ARTIFACTS_DESTINATION through with the default transport settings', () => {
    expect(
      artifactStoreSettings(
        loadEnv(ServerEnv, { ARTIFACTS_DESTINATION: 'sftp://u@h/a' }),
        'serves-artifacts',
      ),
    ).toEqual({
      destination: 'sftp://u@h/a',
      storeOptions: expect.objectContaining({
        ftpsImplicit: false,
        timeoutMs: 30_000,
        acquireTimeoutMs: 30_000,
        maxConnections: undefined,
        sftpPrivateKeyPath: undefined,
        sftpHostKeySha256: undefined,
      }),
    });
  });

  it('reaches the SFTP key, passphrase and pin, the FTPS CA and mode, pool and timeouts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flops-env-'));
    try {
      writeFileSync(join(dir, 'key'), 'KEY');
      writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
      writeFileSync(join(dir, 'passphrase'), 'open sesame\n');
      const pin = `SHA256:${'A'.repeat(43)}`;
      const settings = artifactStoreSettings(
        loadEnv(ServerEnv, {
          ARTIFACTS_DESTINATION: 'ftps://files/a',
          ARTIFACTS_USER: 'flops',
          ARTIFACTS_PASSWORD: 'pw',
          SFTP_PRIVATE_KEY_FILE: join(dir, 'key'),
          SFTP_PASSPHRASE_FILE: join(dir, 'passphrase'),
          SFTP_HOST_KEY_SHA256: pin,
          FTPS_CA_FILE: join(dir, 'ca.pem'),
          FTPS_MODE: 'implicit',
          ARTIFACTS_POOL_SIZE: '6',
          ARTIFACTS_TIMEOUT_SECONDS: '5',
          ARTIFACTS_ACQUIRE_TIMEOUT_SECONDS: '2',
        }),
        'serves-artifacts',
      );
      expect(settings.storeOptions).toEqual({
        ftpUser: 'flops',
        ftpPassword: 'pw',
        ftpsImplicit: true,
        ftpsCa: 'CA PEM',
        sftpUser: 'flops',
        sftpPassword: 'pw',
        sftpPrivateKeyPath: join(dir, 'key'),
        sftpPassphrase: 'open sesame',
        sftpHostKeySha256: pin,
        maxConnections: 6,
        timeoutMs: 5000,
        acquireTimeoutMs: 2000,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses every bad transport setting in one error', () => {
    expect(() =>
      loadEnv(ServerEnv, {
        SFTP_PRIVATE_KEY_FILE: '/nonexistent/key',
        FTPS_CA_FILE: '/nonexistent/ca.pem',
        SFTP_HOST_KEY_SHA256: 'MD5:ab:cd',
        FTPS_MODE: 'sometimes',
        ARTIFACTS_POOL_SIZE: '0',
      }),
    ).toThrow(
      new RegExp(
        [
          'FTPS_MODE must be explicit or implicit',
          'FTPS_CA_FILE must name a readable file',
          'SFTP_PRIVATE_KEY_FILE must name a readable file',
          'SFTP_HOST_KEY_SHA256 must be SHA256:<43 base64 characters>',
        ]
          .map((line) => `(?=[\\s\\S]*${line})`)
          .join('') + '[\\s\\S]*ARTIFACTS_POOL_SIZE',
      ),
    );
  });
});

describe('*_FILE variables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flops-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('read the store URIs and secrets from files, trailing newline dropped', () => {
    writeFileSync(join(dir, 'db'), 'mysql://u:pw@db:3306/mlflow\n');
    writeFileSync(join(dir, 'dest'), 'sftp://u@files/a');
    writeFileSync(join(dir, 'admin'), 'correct horse battery staple\r\n');
    const env = loadEnv(ServerEnv, {
      BACKEND_STORE_URI_FILE: join(dir, 'db'),
      ARTIFACTS_DESTINATION_FILE: join(dir, 'dest'),
      AUTH_ADMIN_PASSWORD_FILE: join(dir, 'admin'),
    });
    expect(env.BACKEND_STORE_URI).toBe('mysql://u:pw@db:3306/mlflow');
    expect(env.ARTIFACTS_DESTINATION).toBe('sftp://u@files/a');
    expect(env.AUTH_ADMIN_PASSWORD).toBe('correct horse battery staple');
  });

  it('refuse a variable given both ways and an unreadable file, with the other problems', () => {
    writeFileSync(join(dir, 'db'), 'sqlite:///x.db');
    expect(() =>
      loadEnv(ServerEnv, {
        BACKEND_STORE_URI: 'sqlite:///y.db',
        BACKEND_STORE_URI_FILE: join(dir, 'db'),
        ARTIFACTS_PASSWORD_FILE: join(dir, 'missing'),
        PORT: 'abc',
      }),
    ).toThrow(
      'Invalid configuration:\n' +
        '  - BACKEND_STORE_URI and BACKEND_STORE_URI_FILE are both set: keep one\n' +
        '  - ARTIFACTS_PASSWORD_FILE cannot be read\n' +
        '  - PORT must be an integer number',
    );
  });
});

describe(httpSettings.name, () => {
  it('defaults to a 16 MiB body limit, no trusted proxy and CORS off', () => {
    expect(httpSettings(loadEnv(ServerEnv, {}))).toEqual({
      bodyLimit: 16 * 1024 * 1024,
      trustProxy: false,
      corsOrigins: [],
    });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads TRUST_PROXY=%p', (value, expected) => {
    expect(httpSettings(loadEnv(ServerEnv, { TRUST_PROXY: value })).trustProxy).toEqual(expected);
  });

  it('reads CORS_ORIGINS and JSON_BODY_LIMIT_BYTES, refusing bad ones', () => {
    expect(
      httpSettings(
        loadEnv(ServerEnv, {
          CORS_ORIGINS: 'https://ui.example.org, http://localhost:3000',
          JSON_BODY_LIMIT_BYTES: '2048',
        }),
      ),
    ).toMatchObject({
      bodyLimit: 2048,
      corsOrigins: ['https://ui.example.org', 'http://localhost:3000'],
    });
    expect(() =>
      loadEnv(ServerEnv, { CORS_ORIGINS: 'ui.example.org', TRUST_PROXY: 'yes please' }),
    ).toThrow(/CORS_ORIGINS must be \* or[\s\S]*TRUST_PROXY must be true/);
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
