import { createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ArtifactStat, ArtifactStore, FileInfo, joinUnderRoot, MlflowError } from '@app/domain';

import {
  detachSource,
  insufficientStorage,
  invalidPath,
  isTempName,
  isWithin,
  sortByName,
  storeError,
  tempNameFor,
  unavailable,
} from './store-support';

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const FS_ERRORS: Record<string, () => MlflowError> = {
  ENOSPC: insufficientStorage,
  EDQUOT: insufficientStorage,
  EACCES: () => storeError('permission denied'),
  EPERM: () => storeError('permission denied'),
  EROFS: () => storeError('read-only file system'),
  ENAMETOOLONG: () => invalidPath('name too long'),
  EMFILE: () => unavailable('too many open files'),
  ENFILE: () => unavailable('too many open files'),
  EIO: () => unavailable('I/O error'),
};

/** Node's fs messages carry absolute paths, so none of them is passed on. */
function mapFsError(err: unknown): MlflowError {
  if (err instanceof MlflowError) return err;
  const code = errnoOf(err);
  const make = code === undefined ? undefined : FS_ERRORS[code];
  return make ? make() : storeError();
}

/** Artifacts in a directory of the local file system (`file:` destinations). */
export class LocalArtifactStore extends ArtifactStore {
  private readonly root: string;
  private realRoot?: Promise<string>;
  private closed = false;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async list(path: string): Promise<FileInfo[] | null> {
    const abs = await this.resolveExisting(path);
    if (abs === null) return null;
    try {
      const entries = await readdir(abs, { withFileTypes: true });
      const infos = await Promise.all(
        entries
          .filter((e) => !isTempName(e.name) && (e.isFile() || e.isDirectory()))
          .map(async (e): Promise<FileInfo | null> => {
            if (e.isDirectory()) return { path: e.name, isDir: true };
            const s = await lstat(join(abs, e.name)).catch(() => null);
            return s ? { path: e.name, isDir: false, fileSize: s.size } : null;
          }),
      );
      return sortByName(infos.filter((i): i is FileInfo => i !== null));
    } catch (err) {
      if (errnoOf(err) === 'ENOTDIR' || errnoOf(err) === 'ENOENT') return null;
      throw mapFsError(err);
    }
  }

  async stat(path: string): Promise<ArtifactStat | null> {
    const abs = await this.resolveExisting(path);
    if (abs === null) return null;
    try {
      const s = await stat(abs);
      return s.isDirectory() ? { isDir: true, size: 0 } : { isDir: false, size: s.size };
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return null;
      throw mapFsError(err);
    }
  }

  async openRead(path: string): Promise<Readable> {
    const abs = await this.resolveExisting(path);
    if (abs === null) throw MlflowError.resourceDoesNotExist(`File not found: ${path}`);
    let handle;
    try {
      handle = await open(abs, 'r');
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'EISDIR') {
        throw MlflowError.resourceDoesNotExist(`File not found: ${path}`);
      }
      throw mapFsError(err);
    }
    const s = await handle.stat().catch(async (err: unknown) => {
      await handle.close();
      throw mapFsError(err);
    });
    if (!s.isFile()) {
      await handle.close();
      throw MlflowError.resourceDoesNotExist(`File not found: ${path}`);
    }
    return handle.createReadStream();
  }

  async write(path: string, source: Readable): Promise<void> {
    const detached = detachSource(source);
    let tmp: string | undefined;
    try {
      const abs = this.absolute(path);
      if (path === '') throw invalidPath('cannot write the root');
      const dir = dirname(abs);
      await this.ensureRoot();
      await mkdir(dir, { recursive: true }).catch((err: unknown) => {
        const code = errnoOf(err);
        throw code === 'EEXIST' || code === 'ENOTDIR' ? invalidPath('a parent is a file') : err;
      });
      await this.assertInside(await realpath(dir));
      tmp = join(dir, tempNameFor(abs.slice(dir.length + 1)));
      await pipeline(detached.stream, createWriteStream(tmp, { flags: 'wx' }));
      const failure = detached.failure();
      if (failure) throw failure;
      await rename(tmp, abs).catch((err: unknown) => {
        const code = errnoOf(err);
        throw code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST'
          ? invalidPath('is a directory')
          : err;
      });
      tmp = undefined;
    } catch (err) {
      detached.detach();
      if (tmp) await rm(tmp, { force: true }).catch(() => undefined);
      if (err === detached.failure()) throw err;
      throw mapFsError(err);
    }
  }

  async delete(path: string): Promise<void> {
    const abs = this.absolute(path);
    if (path === '') throw invalidPath('cannot delete the root');
    await this.ensureRoot();
    try {
      // The last segment itself may be a symlink (rm removes the link); its parents may not.
      await this.assertInside(await realpath(dirname(abs)));
      await rm(abs, { recursive: true, force: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return;
      throw mapFsError(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private absolute(path: string): string {
    if (this.closed) throw unavailable('store closed');
    return joinUnderRoot(this.root, path);
  }

  /** The real path of an existing entry inside the root, or null when there is none. */
  private async resolveExisting(path: string): Promise<string | null> {
    const abs = this.absolute(path);
    await this.ensureRoot();
    let real: string;
    try {
      real = await realpath(abs);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return null;
      throw mapFsError(err);
    }
    await this.assertInside(real);
    return real;
  }

  private async assertInside(realPath: string): Promise<void> {
    if (!isWithin(await this.ensureRoot(), realPath)) throw invalidPath();
  }

  private ensureRoot(): Promise<string> {
    this.realRoot ??= mkdir(this.root, { recursive: true })
      .then(() => realpath(this.root))
      .catch((err: unknown) => {
        this.realRoot = undefined;
        throw mapFsError(err);
      });
    return this.realRoot;
  }
}
