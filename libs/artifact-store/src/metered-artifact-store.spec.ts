import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

import { ArtifactMeter, ArtifactOperation, ErrorCode } from '@app/domain';

import { LocalArtifactStore } from './local-artifact-store';
import { MeteredArtifactStore } from './metered-artifact-store';

class RecordedMeter extends ArtifactMeter {
  readonly moved = { in: 0, out: 0 };
  readonly failures: [string, ArtifactOperation, ErrorCode][] = [];

  bytes(_store: string, direction: 'in' | 'out'): (count: number) => void {
    return (count) => {
      this.moved[direction] += count;
    };
  }

  failed(store: string, operation: ArtifactOperation, code: ErrorCode): void {
    this.failures.push([store, operation, code]);
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe(MeteredArtifactStore.name, () => {
  let root: string;
  let meter: RecordedMeter;
  let sut: MeteredArtifactStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'metered-'));
    meter = new RecordedMeter();
    sut = new MeteredArtifactStore(new LocalArtifactStore(root), 'file', meter);
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('counts the bytes written and read', async () => {
    await sut.write('1/a.bin', Readable.from([Buffer.alloc(1000), Buffer.alloc(24)]));
    expect(await readAll(await sut.openRead('1/a.bin'))).toHaveLength(1024);
    expect(meter.moved).toEqual({ in: 1024, out: 1024 });
    expect(meter.failures).toEqual([]);
  });

  it("rethrows a failing source's own error, writes nothing, and leaves the source drainable", async () => {
    const source = new PassThrough();
    const failure = new Error('client went away');
    const written = sut.write('1/b.bin', source);
    source.write(Buffer.alloc(10));
    setImmediate(() => source.destroy(failure));
    await expect(written).rejects.toBe(failure);
    expect(readdirSync(join(root, '1'))).toEqual([]);
    expect(meter.failures).toEqual([]);
  });

  it('does not count not-found answers as store failures', async () => {
    await expect(sut.openRead('1/missing')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
    });
    expect(meter.failures).toEqual([]);
  });

  it('counts a failed store operation by kind, operation and code', async () => {
    await sut.close();
    await expect(sut.list('')).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    expect(meter.failures).toEqual([['file', 'list', 'TEMPORARILY_UNAVAILABLE']]);
  });
});
