import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';

import { Client } from 'basic-ftp';
import SftpClient from 'ssh2-sftp-client';

import {
  createArtifactStore,
  FtpArtifactStore,
  LocalArtifactStore,
  SftpArtifactStore,
} from '@app/artifact-store';
import { ArtifactStore, MlflowError } from '@app/domain';

import {
  ArtifactStoreHarness,
  describeArtifactStoreContract,
  readAll,
  streamOf,
} from './artifact-store.contract';

// Defaults match scripts/test-services.sh; a missing server fails these tests, it never skips them.
const FTP_URI = process.env.TEST_FTP_URI ?? 'ftp://flopsftp:flopsftp@127.0.0.1:2121/artifacts';
const SFTP_URI =
  process.env.TEST_SFTP_URI ?? 'sftp://flopsftp:flopsftp@127.0.0.1:2222/home/flopsftp/artifacts';
const SFTP_KEY =
  process.env.TEST_SFTP_KEY ?? resolve(__dirname, '../../.test-services/sshd/client_ed25519');

interface Target {
  host: string;
  port: number;
  user: string;
  password: string;
  root: string;
}

function target(uri: string, defaultPort: number): Target {
  const url = new URL(uri);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : defaultPort,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    root: decodeURIComponent(url.pathname) || '/',
  };
}

function withPassword(uri: string, password: string): string {
  const url = new URL(uri);
  url.password = password;
  return url.toString();
}

async function ftpClient(t: Target): Promise<Client> {
  const client = new Client(10_000);
  await client.access({ host: t.host, port: t.port, user: t.user, password: t.password });
  return client;
}

async function sftpClient(t: Target): Promise<SftpClient> {
  const client = new SftpClient('int-spec', {
    error: () => undefined,
    end: () => undefined,
    close: () => undefined,
  });
  await client.connect({ host: t.host, port: t.port, username: t.user, password: t.password });
  return client;
}

describeArtifactStoreContract(
  'local disk',
  async (): Promise<ArtifactStoreHarness> => {
    const dir = await mkdtemp(join(tmpdir(), 'artifact-store-'));
    const root = join(dir, 'root');
    return {
      store: new LocalArtifactStore(root),
      rawNames: (rel) => readdir(join(root, rel)).catch(() => []),
      makeEscapeLink: async (linkPath) => {
        const outside = join(dir, `outside-${randomBytes(3).toString('hex')}`);
        await mkdir(outside);
        await writeFile(join(outside, 'canary.txt'), 'canary');
        await mkdir(join(root, linkPath, '..'), { recursive: true });
        await symlink(outside, join(root, linkPath));
        return {
          canaryIntact: () =>
            stat(join(outside, 'canary.txt')).then(
              () => true,
              () => false,
            ),
        };
      },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { symlinks: true },
);

describeArtifactStoreContract(
  'FTP (vsftpd)',
  async (): Promise<ArtifactStoreHarness> => {
    const t = target(FTP_URI, 21);
    const clients: Client[] = [];
    const store = new FtpArtifactStore({
      ...t,
      maxConnections: 4,
      clientFactory: (timeout) => {
        const client = new Client(timeout);
        clients.push(client);
        return client;
      },
    });
    const inspector = await ftpClient(t);
    return {
      store,
      pool: { max: 4, size: () => store.stats().size },
      rawNames: async (rel) => {
        try {
          await inspector.cd(`${t.root}/${rel}`);
        } catch {
          return [];
        }
        return (await inspector.list()).map((e) => e.name).filter((n) => n !== '.' && n !== '..');
      },
      breakConnections: async () => {
        const open = clients.filter((c) => !c.closed);
        // Behind the pool's back: the sockets die, the Client objects stay in the pool.
        for (const c of open) c.ftp.socket.destroy();
        await new Promise((r) => setTimeout(r, 50));
        return open.length;
      },
      dispose: async () => {
        inspector.close();
        await store.close();
      },
    };
  },
  { reconnect: true },
);

describeArtifactStoreContract(
  'SFTP (OpenSSH)',
  async (): Promise<ArtifactStoreHarness> => {
    const t = target(SFTP_URI, 22);
    const clients: SftpClient[] = [];
    const store = new SftpArtifactStore({
      ...t,
      maxConnections: 2,
      clientFactory: (callbacks) => {
        const client = new SftpClient('int-spec-pool', callbacks);
        clients.push(client);
        return client;
      },
    });
    const inspector = await sftpClient(t);
    const outsideDirs: string[] = [];
    return {
      store,
      pool: { max: 2, size: () => store.stats().size },
      rawNames: async (rel) => {
        const dir = `${t.root}/${rel}`;
        if ((await inspector.exists(dir)) !== 'd') return [];
        return (await inspector.list(dir)).map((e) => e.name);
      },
      makeEscapeLink: async (linkPath) => {
        const outside = `${t.root}-outside-${randomBytes(3).toString('hex')}`;
        outsideDirs.push(outside);
        await inspector.mkdir(outside, true);
        await inspector.put(Buffer.from('canary'), `${outside}/canary.txt`);
        const link = `${t.root}/${linkPath}`;
        await inspector.mkdir(link.slice(0, link.lastIndexOf('/')), true);
        const raw = (inspector as unknown as { sftp: import('ssh2').SFTPWrapper }).sftp;
        await new Promise<void>((ok, fail) =>
          raw.symlink(outside, link, (e) => (e ? fail(e) : ok())),
        );
        return {
          canaryIntact: async () => (await inspector.exists(`${outside}/canary.txt`)) === '-',
        };
      },
      breakConnections: async () => {
        const live = clients.filter((c) => (c as unknown as { sftp?: unknown }).sftp !== undefined);
        for (const c of live) (c as unknown as { client: { destroy(): void } }).client.destroy();
        await new Promise((r) => setTimeout(r, 50));
        return live.length;
      },
      dispose: async () => {
        for (const dir of outsideDirs) await inspector.rmdir(dir, true).catch(() => undefined);
        await inspector.end();
        await store.close();
      },
    };
  },
  { symlinks: true, reconnect: true },
);

describe('createArtifactStore', () => {
  const stores: ArtifactStore[] = [];
  const make = (uri: string, options?: Parameters<typeof createArtifactStore>[1]) => {
    const store = createArtifactStore(uri, options);
    stores.push(store);
    return store;
  };
  const unique = () => `registry-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  async function roundTrip(store: ArtifactStore): Promise<void> {
    const dir = unique();
    await store.write(`${dir}/f.txt`, streamOf('via registry'));
    expect((await readAll(await store.openRead(`${dir}/f.txt`))).toString()).toBe('via registry');
    await store.delete(dir);
    expect(await store.stat(dir)).toBeNull();
  }

  it('builds a local store from file: URIs and plain paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'artifact-registry-'));
    try {
      for (const dest of [join(dir, 'a'), `file:${join(dir, 'b')}`, `file://${join(dir, 'c')}`]) {
        const store = make(dest);
        expect(store).toBeInstanceOf(LocalArtifactStore);
        await roundTrip(store);
      }
      expect((await readdir(dir)).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds an FTP store from ftp:// and an FTPS store from ftps://', async () => {
    const ftp = make(FTP_URI);
    expect(ftp).toBeInstanceOf(FtpArtifactStore);
    await roundTrip(ftp);
    const ftps = make(FTP_URI.replace(/^ftp:/, 'ftps:'), { ftpAllowSelfSigned: true });
    await roundTrip(ftps);
  });

  it('FTPS refuses a self-signed certificate unless allowed', async () => {
    const store = make(FTP_URI.replace(/^ftp:/, 'ftps:'));
    const err = await store.list('').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowError);
    expect((err as MlflowError).code).toBe('TEMPORARILY_UNAVAILABLE');
  });

  it('builds an SFTP store from sftp://, with a password or a private key file', async () => {
    const sftp = make(SFTP_URI);
    expect(sftp).toBeInstanceOf(SftpArtifactStore);
    await roundTrip(sftp);
    const noPassword = withPassword(SFTP_URI, '');
    await roundTrip(make(noPassword, { sftpPrivateKeyPath: SFTP_KEY }));
  });

  it('takes credentials from options over the URI', async () => {
    const t = target(FTP_URI, 21);
    const bare = FTP_URI.replace(/\/\/[^@/]*@/, '//');
    await roundTrip(make(bare, { ftpUser: t.user, ftpPassword: t.password }));
  });

  it.each([
    ['FTP', () => FTP_URI],
    ['SFTP', () => SFTP_URI],
  ])(
    '%s: a wrong password is TEMPORARILY_UNAVAILABLE and never shows up in the error',
    async (_, uri) => {
      const secret = 'Wr0ng-s3cret-pa55';
      const store = make(withPassword(uri(), secret));
      const err = await store.list('').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MlflowError);
      const mlflowError = err as MlflowError;
      expect(mlflowError.code).toBe('TEMPORARILY_UNAVAILABLE');
      expect(mlflowError.retryAfterSeconds).toBeGreaterThan(0);
      expect(mlflowError.message).toBe('Artifact store unavailable: login failed');
      for (const text of [
        mlflowError.message,
        String(mlflowError.stack),
        JSON.stringify(mlflowError),
      ]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain('127.0.0.1');
      }
    },
  );

  it('maps a refused connection to TEMPORARILY_UNAVAILABLE without host or credentials', async () => {
    const store = make('ftp://flopsftp:Sup3rSecret@127.0.0.1:1/artifacts');
    const err = (await store.list('').catch((e: unknown) => e)) as MlflowError;
    expect(err.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(err.message).toBe('Artifact store unavailable: connection refused');
    const sftp = make('sftp://flopsftp:Sup3rSecret@127.0.0.1:1/artifacts');
    const err2 = (await sftp.stat('x').catch((e: unknown) => e)) as MlflowError;
    expect(err2.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(err2.message).toBe('Artifact store unavailable: connection refused');
  });

  it('rejects unknown schemes, listing the known ones, with credentials redacted', () => {
    expect(() => make('s3://AKIA:topsecret@bucket/prefix')).toThrow(
      "Unsupported artifact destination scheme 's3' in s3://***@bucket/prefix; known schemes: file, ftp, ftps, sftp",
    );
    expect(() => make('ftp://user:topsecret@host/x?y=1')).toThrow(/query or fragment/);
    expect(() => make('ftp://user:topsecret@host/x?y=1')).not.toThrow(/topsecret/);
    expect(() => make('sftp://host/x')).toThrow(/needs a user/);
    expect(() => make('file://remote-host/x')).toThrow(/remote host/);
  });

  it('fails every call after close with TEMPORARILY_UNAVAILABLE', async () => {
    for (const uri of [FTP_URI, SFTP_URI]) {
      const store = createArtifactStore(uri);
      await store.list('');
      await store.close();
      const err = (await store.list('').catch((e: unknown) => e)) as MlflowError;
      expect(err.code).toBe('TEMPORARILY_UNAVAILABLE');
    }
  });
});

/**
 * A process killed mid-upload (SIGKILL, OOM, a lost node) cannot remove its temp file, and the
 * FTP server keeps the partial bytes: the next write of the same path (the client's retry)
 * removes the temp files of that path that have not changed since it began.
 */
describe('FTP: temp files of abandoned uploads', () => {
  const t = target(FTP_URI, 21);
  const dir = `abandoned-${randomBytes(4).toString('hex')}`;
  const abs = `${t.root}/${dir}`;
  const stores: FtpArtifactStore[] = [];
  let inspector: Client;

  const newStore = () => {
    const store = new FtpArtifactStore({ ...t });
    stores.push(store);
    return store;
  };
  const names = async () =>
    (await inspector.list(abs))
      .map((e) => e.name)
      .filter((n) => n !== '.' && n !== '..')
      .sort();
  /** A temp file as a writer leaves it, last changed at `mdtm` (server time, via MDTM's set form). */
  const plant = async (name: string, mdtm: string) => {
    await inspector.uploadFrom(streamOf('partial'), `${abs}/${name}`);
    await inspector.send(`MDTM ${mdtm} ${abs}/${name}`);
  };

  beforeAll(async () => {
    inspector = await ftpClient(t);
    await inspector.ensureDir(abs);
  });

  afterAll(async () => {
    await inspector.removeDir(abs);
    inspector.close();
    await Promise.all(stores.map((s) => s.close()));
  });

  it("a write removes its path's abandoned temp files, not other paths' nor live ones", async () => {
    await plant('.model.bin.upload-0123456789abcdef', '20200101000000');
    await plant('.other.bin.upload-0123456789abcdef', '20200101000000');
    // Changed after the write below began: an upload of the same path still sending.
    await plant('.model.bin.upload-fedcba9876543210', '20990101000000');

    await newStore().write(`${dir}/model.bin`, streamOf('complete'));

    expect(await names()).toEqual([
      '.model.bin.upload-fedcba9876543210',
      '.other.bin.upload-0123456789abcdef',
      'model.bin',
    ]);
    expect(await stores[0].list(dir)).toEqual([{ path: 'model.bin', isDir: false, fileSize: 8 }]);
  });

  it('an upload whose temp file was swept fails retryably and leaves the newer file in place', async () => {
    const stalled = new PassThrough();
    stalled.write('old, first part; ');
    const older = newStore().write(`${dir}/race.bin`, stalled);
    let tmp: string | undefined;
    for (let i = 0; i < 200 && tmp === undefined; i++) {
      tmp = (await names()).find((n) => n.startsWith('.race.bin.upload-'));
      if (tmp === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(tmp).toBeDefined();
    // As if it had stalled since long before the other instance's upload below.
    await inspector.send(`MDTM 20200101000000 ${abs}/${tmp}`);

    await newStore().write(`${dir}/race.bin`, streamOf('newer'));
    stalled.end('old, second part');

    const err = (await older.catch((e: unknown) => e)) as MlflowError;
    expect([err.code, err.message]).toEqual([
      'TEMPORARILY_UNAVAILABLE',
      'Artifact store unavailable: the upload was superseded by another upload of the same path',
    ]);
    expect((await readAll(await stores[0].openRead(`${dir}/race.bin`))).toString()).toBe('newer');
    expect((await names()).filter((n) => n.includes('race.bin'))).toEqual(['race.bin']);
  });
});
