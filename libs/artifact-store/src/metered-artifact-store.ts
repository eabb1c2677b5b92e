import { Readable, Transform } from 'node:stream';

import {
  ArtifactMeter,
  ArtifactOperation,
  ArtifactStat,
  ArtifactStore,
  ErrorCode,
  FileInfo,
  MlflowError,
  Principal,
} from '@app/domain';

import { STREAM_BUFFER_BYTES } from './store-support';

/** Errors that say the request was wrong, not that the store failed a transfer. */
const CLIENT_CODES: ReadonlySet<ErrorCode> = new Set([
  'RESOURCE_DOES_NOT_EXIST',
  'INVALID_PARAMETER_VALUE',
]);

/**
 * Counts the bytes each transfer moves and the operations the store fails, for the service
 * metrics. The bytes are counted as they pass, so a transfer that breaks off counts what it moved.
 */
export class MeteredArtifactStore extends ArtifactStore {
  private readonly bytesIn: (count: number) => void;
  private readonly bytesOut: (count: number) => void;

  constructor(
    private readonly inner: ArtifactStore,
    private readonly kind: string,
    private readonly meter: ArtifactMeter,
  ) {
    super();
    this.bytesIn = meter.bytes(kind, 'in');
    this.bytesOut = meter.bytes(kind, 'out');
  }

  override get forwardsCaller(): boolean {
    return this.inner.forwardsCaller;
  }

  /** Where the inner store keeps a caller's free path (the artifact proxy decides it itself). */
  override freeLocation(caller: Principal, path: string): string {
    return this.inner.freeLocation(caller, path);
  }

  list(path: string): Promise<FileInfo[] | null> {
    return this.inner.list(path).catch(this.failed('list'));
  }

  stat(path: string): Promise<ArtifactStat | null> {
    return this.inner.stat(path).catch(this.failed('stat'));
  }

  async openRead(path: string): Promise<Readable> {
    const source = await this.inner.openRead(path).catch(this.failed('read'));
    const counted = counter(this.bytesOut);
    source.on('error', (error) => {
      this.count('read', error);
      counted.destroy(error);
    });
    // The consumer going away must abort the transfer (pooled adapters hold a connection).
    counted.on('close', () => {
      if (!source.readableEnded) source.destroy();
    });
    return source.pipe(counted);
  }

  async write(path: string, source: Readable): Promise<void> {
    // The adapter's contract (the source's own error rethrown, the source never destroyed) holds
    // for the counted copy; the copy is unpiped afterwards so the caller can still drain it.
    const counted = counter(this.bytesIn);
    const onError = (error: Error) => counted.destroy(error);
    const onClose = () => {
      if (!source.readableEnded) counted.destroy(new Error('Premature close'));
    };
    source.once('error', onError).once('close', onClose).pipe(counted);
    try {
      await this.inner.write(path, counted);
    } catch (error) {
      if (error instanceof MlflowError) this.count('write', error);
      throw error;
    } finally {
      source.off('error', onError).off('close', onClose).unpipe(counted);
    }
  }

  delete(path: string): Promise<void> {
    return this.inner.delete(path).catch(this.failed('delete'));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private failed(operation: ArtifactOperation): (error: unknown) => never {
    return (error) => {
      this.count(operation, error);
      throw error;
    };
  }

  private count(operation: ArtifactOperation, error: unknown): void {
    const code = error instanceof MlflowError ? error.code : 'INTERNAL_ERROR';
    if (!CLIENT_CODES.has(code)) this.meter.failed(this.kind, operation, code);
  }
}

function counter(add: (count: number) => void): Transform {
  return new Transform({
    highWaterMark: STREAM_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, callback) {
      add(chunk.length);
      callback(null, chunk);
    },
  });
}
