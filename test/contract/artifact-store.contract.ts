import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { ArtifactStore, MlflowError } from '@app/domain';

/** What a backend provides to run the shared artifact-store contract against it. */
export interface ArtifactStoreHarness {
  store: ArtifactStore;
  /** Every name physically present in the directory (temp files included); [] when missing. */
  rawNames(dir: string): Promise<string[]>;
  /**
   * Creates, behind the store's back, a symlink at `linkPath` (relative to the store root) to a
   * directory outside the root holding `canary.txt`. Only for backends that can have symlinks.
   */
  makeEscapeLink?(linkPath: string): Promise<{ canaryIntact(): Promise<boolean> }>;
  /** Kills every pooled connection behind the pool's back; returns how many it killed. */
  breakConnections?(): Promise<number>;
  /** Connections the store may open at most, and how many it has now. */
  pool?: { max: number; size(): number };
  dispose(): Promise<void>;
}

const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function streamOf(data: Buffer | string): Readable {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return Readable.from(buf.length > 0 ? [buf] : [], { objectMode: false });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Emits `before` bytes, then fails. */
function failingSource(before: number, error: Error): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.alloc(before, 7));
        setTimeout(() => this.destroy(error), 30);
      }
    },
  });
}

function slowSource(chunks: Buffer[], delayMs: number): Readable {
  let index = 0;
  return new Readable({
    read() {
      setTimeout(() => this.push(index < chunks.length ? chunks[index++] : null), delayMs);
    },
  });
}

/** A source the test feeds by hand, so "the write is still in progress" does not depend on timing. */
function controlledSource(): { stream: Readable; send(data: string): Promise<void>; end(): void } {
  const stream = new Readable({ read: () => undefined });
  return {
    stream,
    send: async (data) => {
      stream.push(Buffer.from(data));
      // Until the store has taken the bytes (they are on their way into the temp file).
      while (stream.readableLength > 0) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20));
    },
    end: () => stream.push(null),
  };
}

/** `total` bytes of deterministic noise in 64 KiB chunks, hashed as they are produced. */
function generatedSource(total: number): { stream: Readable; digest(): string } {
  const block = randomBytes(64 * 1024);
  const hash = createHash('sha256');
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      const chunk = Buffer.from(block.subarray(0, Math.min(block.length, total - produced)));
      chunk.writeUInt32BE(produced / block.length, 0);
      produced += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<MlflowError> {
  const err: unknown = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MlflowError);
  expect((err as MlflowError).code).toBe(code);
  return err as MlflowError;
}

function binary(): Buffer {
  const buf = Buffer.alloc(256 * 40);
  for (let i = 0; i < buf.length; i++) buf[i] = i % 256;
  return buf;
}

/**
 * The behaviour every ArtifactStore adapter must show (the port's TSDoc is the spec). Each run
 * works below a fresh random directory of the backend's root and removes it afterwards.
 */
export function describeArtifactStoreContract(
  name: string,
  makeStore: () => Promise<ArtifactStoreHarness>,
  features: { symlinks?: boolean; reconnect?: boolean } = {},
): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let h: ArtifactStoreHarness;
    let store: ArtifactStore;
    const base = `contract-${randomBytes(4).toString('hex')}`;
    const p = (rel: string) => `${base}/${rel}`;
    const text = async (rel: string) => (await readAll(await store.openRead(p(rel)))).toString();

    beforeAll(async () => {
      h = await makeStore();
      store = h.store;
    });

    afterAll(async () => {
      if (!h) return;
      await h.store.delete(base).catch(() => undefined);
      await h.dispose();
    });

    it('reaches the backend (start it with scripts/test-services.sh)', async () => {
      await expect(store.list('')).resolves.toEqual(expect.any(Array));
    });

    describe('write and read', () => {
      it('round-trips text, binary 0..255 and an empty file byte for byte', async () => {
        const bin = binary();
        await store.write(p('rt/hello.txt'), streamOf('hello artifact\n'));
        await store.write(p('rt/bytes.bin'), streamOf(bin));
        await store.write(p('rt/empty'), streamOf(Buffer.alloc(0)));

        expect(await text('rt/hello.txt')).toBe('hello artifact\n');
        expect((await readAll(await store.openRead(p('rt/bytes.bin')))).equals(bin)).toBe(true);
        expect(await readAll(await store.openRead(p('rt/empty')))).toHaveLength(0);
        expect(await store.stat(p('rt/empty'))).toEqual({ isDir: false, size: 0 });
        expect(await store.list(p('rt'))).toEqual([
          { path: 'bytes.bin', isDir: false, fileSize: bin.length },
          { path: 'empty', isDir: false, fileSize: 0 },
          { path: 'hello.txt', isDir: false, fileSize: 15 },
        ]);
      });

      it('overwrites, leaving no temporary file', async () => {
        await store.write(p('ow/f.txt'), streamOf('first version, longer'));
        await store.write(p('ow/f.txt'), streamOf('second'));
        expect(await text('ow/f.txt')).toBe('second');
        expect(await h.rawNames(p('ow'))).toEqual(['f.txt']);
      });

      it('creates missing parent directories implicitly', async () => {
        await store.write(p('deep/a/b/c/d.txt'), streamOf('d'));
        expect(await store.list(p('deep'))).toEqual([{ path: 'a', isDir: true }]);
        expect(await store.list(p('deep/a/b/c'))).toEqual([
          { path: 'd.txt', isDir: false, fileSize: 1 },
        ]);
      });

      it('handles spaces, unicode, % and glob characters in names', async () => {
        const names = [
          'sp ace/na\u00efve \u6587\u4ef6 \u00fc.txt',
          'sp ace/100%.txt',
          'sp ace/star*[1].txt',
        ];
        for (const n of names) await store.write(p(n), streamOf(n));
        for (const n of names) expect(await text(n)).toBe(n);
        expect((await store.list(p('sp ace')))!.map((e) => e.path)).toEqual(
          ['100%.txt', 'na\u00efve \u6587\u4ef6 \u00fc.txt', 'star*[1].txt'].sort(),
        );
      });

      it('rejects writing the root, onto a directory, or below a file', async () => {
        await store.write(p('shape/dir/inner.txt'), streamOf('x'));
        await store.write(p('shape/file.txt'), streamOf('x'));
        await expectCode(store.write('', streamOf('x')), 'INVALID_PARAMETER_VALUE');
        await expectCode(store.write(p('shape/dir'), streamOf('x')), 'INVALID_PARAMETER_VALUE');
        await expectCode(
          store.write(p('shape/file.txt/below'), streamOf('x')),
          'INVALID_PARAMETER_VALUE',
        );
        expect(await text('shape/dir/inner.txt')).toBe('x');
        expect((await h.rawNames(p('shape'))).sort()).toEqual(['dir', 'file.txt']);
      });

      it('refuses non-canonical paths before any I/O', async () => {
        for (const bad of ['../x', 'a//b', './a', '/abs', 'a/../b', 'a\r\nDELE x']) {
          await expectCode(store.write(bad, streamOf('x')), 'INVALID_PARAMETER_VALUE');
          await expectCode(store.list(bad), 'INVALID_PARAMETER_VALUE');
          await expectCode(store.openRead(bad), 'INVALID_PARAMETER_VALUE');
          await expectCode(store.delete(bad), 'INVALID_PARAMETER_VALUE');
        }
      });
    });

    describe('list and stat', () => {
      beforeAll(async () => {
        await store.write(p('ls/b.txt'), streamOf('bbb'));
        await store.write(p('ls/a.txt'), streamOf('a'));
        await store.write(p('ls/c/x.bin'), streamOf('xx'));
        await store.write(p('ls/.hidden'), streamOf('hh'));
      });

      it('lists direct children by basename, sorted, sizes for files only', async () => {
        expect(await store.list(p('ls'))).toEqual([
          { path: '.hidden', isDir: false, fileSize: 2 },
          { path: 'a.txt', isDir: false, fileSize: 1 },
          { path: 'b.txt', isDir: false, fileSize: 3 },
          { path: 'c', isDir: true },
        ]);
      });

      it('returns null for a file path and for a missing path', async () => {
        expect(await store.list(p('ls/a.txt'))).toBeNull();
        expect(await store.list(p('ls/missing'))).toBeNull();
        expect(await store.list(p('ls/missing/deeper'))).toBeNull();
      });

      it('lists the root', async () => {
        const root = await store.list('');
        expect(root).toContainEqual({ path: base, isDir: true });
      });

      it('stats files, directories, the root and missing paths', async () => {
        expect(await store.stat(p('ls/b.txt'))).toEqual({ isDir: false, size: 3 });
        expect(await store.stat(p('ls/c'))).toEqual({ isDir: true, size: 0 });
        expect(await store.stat('')).toEqual({ isDir: true, size: 0 });
        expect(await store.stat(p('ls/nope'))).toBeNull();
        expect(await store.stat(p('ls/a.txt/below'))).toBeNull();
      });

      it('openRead of a missing path or a directory is RESOURCE_DOES_NOT_EXIST', async () => {
        await expectCode(store.openRead(p('ls/nope')), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store.openRead(p('ls/c')), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store.openRead(''), 'RESOURCE_DOES_NOT_EXIST');
      });
    });

    describe('delete', () => {
      it('deletes a file', async () => {
        await store.write(p('del/one.txt'), streamOf('1'));
        await store.write(p('del/two.txt'), streamOf('2'));
        await store.delete(p('del/one.txt'));
        expect(await store.stat(p('del/one.txt'))).toBeNull();
        expect(await store.list(p('del'))).toEqual([
          { path: 'two.txt', isDir: false, fileSize: 1 },
        ]);
      });

      it('deletes a whole subtree', async () => {
        await store.write(p('tree/x/1.txt'), streamOf('1'));
        await store.write(p('tree/x/y/2.txt'), streamOf('2'));
        await store.write(p('tree/x/y/z/3.txt'), streamOf('3'));
        await store.write(p('tree/keep.txt'), streamOf('k'));
        await store.delete(p('tree/x'));
        expect(await store.stat(p('tree/x'))).toBeNull();
        expect(await store.list(p('tree'))).toEqual([
          { path: 'keep.txt', isDir: false, fileSize: 1 },
        ]);
      });

      it('is a no-op for a missing path', async () => {
        await expect(store.delete(p('del/never-existed'))).resolves.toBeUndefined();
        await expect(store.delete(p('no/such/dir'))).resolves.toBeUndefined();
      });

      it('never deletes the root', async () => {
        await expectCode(store.delete(''), 'INVALID_PARAMETER_VALUE');
        expect(await store.stat(p('del/two.txt'))).toEqual({ isDir: false, size: 1 });
      });
    });

    describe('atomicity', () => {
      it('a source failing half-way leaves no file and no temp file, and rethrows its error', async () => {
        const boom = new Error('client went away');
        await expect(
          store.write(p('atomic/new.bin'), failingSource(256 * 1024, boom)),
        ).rejects.toBe(boom);
        expect(await store.stat(p('atomic/new.bin'))).toBeNull();
        expect(await h.rawNames(p('atomic'))).toEqual([]);
      });

      it('a failed overwrite keeps the old content', async () => {
        await store.write(p('atomic/old.txt'), streamOf('old content'));
        await expect(
          store.write(p('atomic/old.txt'), failingSource(100_000, new Error('abort'))),
        ).rejects.toThrow('abort');
        expect(await text('atomic/old.txt')).toBe('old content');
        expect(await h.rawNames(p('atomic'))).toEqual(['old.txt']);
      });

      it('a source closed early (no error) counts as a failure', async () => {
        const src = slowSource(
          Array.from({ length: 50 }, () => Buffer.from('partial')),
          20,
        );
        setTimeout(() => src.destroy(), 150);
        await expect(store.write(p('atomic/closed.txt'), src)).rejects.toThrow();
        expect(await store.stat(p('atomic/closed.txt'))).toBeNull();
        expect(await h.rawNames(p('atomic'))).toEqual(['old.txt']);
      });

      it('a concurrent reader sees the old content until the slow write completes', async () => {
        await store.write(p('atomic/slow.txt'), streamOf('OLD'));
        const src = controlledSource();
        const writing = store.write(p('atomic/slow.txt'), src.stream);
        const seen: string[] = [];
        for (let i = 0; i < 3; i++) {
          await src.send(`new-${i};`.repeat(1000));
          seen.push(await text('atomic/slow.txt'));
        }
        src.end();
        await writing;
        expect(seen).toEqual(['OLD', 'OLD', 'OLD']);
        expect(await text('atomic/slow.txt')).toBe(
          [0, 1, 2].map((i) => `new-${i};`.repeat(1000)).join(''),
        );
      });

      it('a reader of a file that does not exist yet sees nothing during a slow write', async () => {
        const src = controlledSource();
        const writing = store.write(p('atomic/fresh.txt'), src.stream);
        await src.send('ab');
        expect(await store.stat(p('atomic/fresh.txt'))).toBeNull();
        await expectCode(store.openRead(p('atomic/fresh.txt')), 'RESOURCE_DOES_NOT_EXIST');
        expect((await store.list(p('atomic')))!.map((e) => e.path)).not.toContain('fresh.txt');
        await src.send('c');
        src.end();
        await writing;
        expect(await text('atomic/fresh.txt')).toBe('abc');
      });
    });

    describe('concurrency and volume', () => {
      it('serves 10 concurrent writes and 10 concurrent reads through the pool', async () => {
        const files = Array.from({ length: 10 }, (_, i) => ({
          rel: `conc/f${i}.bin`,
          data: randomBytes(200_000 + i),
        }));
        let maxSize = 0;
        const sample = setInterval(() => {
          maxSize = Math.max(maxSize, h.pool?.size() ?? 0);
        }, 5);
        try {
          await Promise.all(files.map((f) => store.write(p(f.rel), streamOf(f.data))));
          const read = await Promise.all(
            files.map(async (f) => readAll(await store.openRead(p(f.rel)))),
          );
          read.forEach((buf, i) => expect(buf.equals(files[i].data)).toBe(true));
          await Promise.all(files.map((f) => store.delete(p(f.rel))));
        } finally {
          clearInterval(sample);
        }
        if (h.pool) expect(maxSize).toBeLessThanOrEqual(h.pool.max);
        expect(await store.list(p('conc'))).toEqual([]);
      }, 60_000);

      it('mixes concurrent writers to one path: one complete version wins', async () => {
        const versions = Array.from({ length: 6 }, (_, i) => Buffer.alloc(50_000, 65 + i));
        await Promise.all(versions.map((v) => store.write(p('conc/same.bin'), streamOf(v))));
        const final = await readAll(await store.openRead(p('conc/same.bin')));
        expect(versions.some((v) => v.equals(final))).toBe(true);
        expect(await h.rawNames(p('conc'))).toEqual(['same.bin']);
      }, 60_000);

      it('streams 50 MB through write and read with bounded memory', async () => {
        const size = 50 * MB;
        const gen = generatedSource(size);
        // V8 lets dead Buffers pile up to its external-memory threshold (64 MB) before it
        // collects; collecting when the growth nears the bound makes the peak measure live memory.
        gc();
        const before = process.memoryUsage().rss;
        let peak = before;
        let collectAbove = before + 20 * MB;
        const sample = setInterval(() => {
          let rss = process.memoryUsage().rss;
          if (rss > collectAbove) {
            gc();
            rss = process.memoryUsage().rss;
            collectAbove = rss + 20 * MB;
          }
          peak = Math.max(peak, rss);
        }, 20);
        try {
          const started = Date.now();
          await store.write(p('big/50mb.bin'), gen.stream);
          const wrote = Date.now();
          const hash = createHash('sha256');
          let length = 0;
          for await (const chunk of await store.openRead(p('big/50mb.bin'))) {
            hash.update(chunk as Buffer);
            length += (chunk as Buffer).length;
          }
          const read = Date.now();
          expect(length).toBe(size);
          expect(hash.digest('hex')).toBe(gen.digest());
          const growth = (peak - before) / MB;
          console.info(
            `[${name}] 50 MB: write ${(50_000 / Math.max(1, wrote - started)).toFixed(1)} MB/s, ` +
              `read ${(50_000 / Math.max(1, read - wrote)).toFixed(1)} MB/s, rss growth ${growth.toFixed(1)} MB`,
          );
          expect(peak - before).toBeLessThan(40 * MB);
        } finally {
          clearInterval(sample);
        }
        expect(await store.stat(p('big/50mb.bin'))).toEqual({ isDir: false, size });
        await store.delete(p('big'));
      }, 180_000);

      it('a consumer that abandons a download frees its connection', async () => {
        await store.write(p('abandon/f.bin'), streamOf(randomBytes(2 * MB)));
        for (let i = 0; i < (h.pool?.max ?? 2) + 2; i++) {
          const stream = await store.openRead(p('abandon/f.bin'));
          await new Promise<void>((resolve) => {
            stream.once('data', () => {
              stream.destroy();
              resolve();
            });
          });
        }
        expect(await text('abandon/f.bin').then((t) => t.length)).toBeGreaterThan(0);
      }, 60_000);
    });

    if (features.symlinks) {
      describe('symlinks', () => {
        it('refuses to follow a symlink out of the root', async () => {
          const escape = await h.makeEscapeLink!(p('links/out'));
          await expectCode(store.openRead(p('links/out/canary.txt')), 'INVALID_PARAMETER_VALUE');
          await expectCode(store.list(p('links/out')), 'INVALID_PARAMETER_VALUE');
          await expectCode(store.stat(p('links/out/canary.txt')), 'INVALID_PARAMETER_VALUE');
          await expectCode(
            store.write(p('links/out/planted.txt'), streamOf('x')),
            'INVALID_PARAMETER_VALUE',
          );
          await expectCode(store.delete(p('links/out/canary.txt')), 'INVALID_PARAMETER_VALUE');
          expect((await store.list(p('links')))!.map((e) => e.path)).toEqual([]);
          await store.delete(p('links/out'));
          expect(await escape.canaryIntact()).toBe(true);
          expect(await h.rawNames(p('links'))).toEqual([]);
        });
      });
    }

    if (features.reconnect) {
      describe('reconnects', () => {
        it('reconnects transparently after its connections were killed', async () => {
          await store.write(p('reconnect/a.txt'), streamOf('before'));
          expect(await h.breakConnections!()).toBeGreaterThan(0);
          expect(await store.list(p('reconnect'))).toEqual([
            { path: 'a.txt', isDir: false, fileSize: 6 },
          ]);
          expect(await h.breakConnections!()).toBeGreaterThan(0);
          await store.write(p('reconnect/b.txt'), streamOf('after'));
          expect(await h.breakConnections!()).toBeGreaterThan(0);
          expect(await text('reconnect/b.txt')).toBe('after');
        });
      });
    }
  });
}
