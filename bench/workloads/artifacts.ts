import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Client as FtpClient } from 'basic-ftp';
import { Pool } from 'undici';

import { authHeaders, Client, createExperiment, createRun, getRun, HttpError } from '../lib/client';
import { BenchContext, scaled } from '../lib/context';
import { log } from '../lib/report';
import { nowMs } from '../lib/stats';

/** Connects to the FTP server of --ftp-url; undefined (with the reason logged) when it is not there. */
export async function ftpReachable(ftpUrl: string): Promise<boolean> {
  const ftp = new FtpClient(5_000);
  try {
    await ftp.access(ftpAccess(ftpUrl));
    return true;
  } catch (error) {
    log(`(g) FTP server ${redact(ftpUrl)} not reachable: ${(error as Error).message}`);
    return false;
  } finally {
    ftp.close();
  }
}

function ftpAccess(ftpUrl: string) {
  const u = new URL(ftpUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 21),
    user: decodeURIComponent(u.username || 'anonymous'),
    password: decodeURIComponent(u.password),
  };
}

function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

/** Sink that hashes and counts what flows into it. */
function hashingSink() {
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done();
    },
  });
  let digest: string | undefined;
  return { sink, digest: () => (digest ??= hash.digest('hex')), bytes: () => bytes };
}

/**
 * (g) A large file up and down through the artifact proxy (to the FTP destination the suite was
 * started with), against a direct FTP transfer of the same file; the proxy's memory over time.
 */
export async function runArtifacts(ctx: BenchContext, ftpOk: boolean): Promise<void> {
  if (!ftpOk) {
    ctx.report.skipped(
      'g.artifacts',
      'FTP server not reachable (start it with scripts/test-services.sh)',
    );
    return;
  }
  const client = new Client(ctx.baseUrl, 1);
  const pool = new Pool(ctx.baseUrl, {
    connections: 1,
    headersTimeout: 600_000,
    bodyTimeout: 600_000,
  });
  const size = scaled(ctx, ctx.args.artifactBytes, 1024 * 1024);
  const file = join(tmpdir(), `bench-artifact-${process.pid}.bin`);
  const ftp = new FtpClient(600_000);
  const root = decodeURIComponent(new URL(ctx.args.ftpUrl).pathname).replace(/\/+$/, '');
  const remote = `${root}/bench-direct-${process.pid}.bin`;
  /** The run's directory on the FTP server, relative to the root (unique: it holds the run id). */
  let runDir: string | undefined;
  try {
    const experimentId = await createExperiment(client, `bench-g-${Date.now()}`);
    const runId = await createRun(client, experimentId, 'artifacts');
    const uri = (await getRun(client, runId)).info.artifact_uri ?? '';
    const relative = uri.replace(/^mlflow-artifacts:(\/\/[^/]*)?\/?/, '');
    runDir = relative.replace(/\/artifacts$/, '');
    const path = `/api/2.0/mlflow-artifacts/artifacts/${relative}/big.bin`;

    // Probe: is the proxy there?
    const probe = await pool.request({
      method: 'PUT',
      path: `${path}.probe`,
      headers: authHeaders(),
      body: 'x',
    });
    const probeText = await probe.body.text();
    if (probe.statusCode !== 200) {
      const e = new HttpError('PUT', path, probe.statusCode, probeText);
      if (e.notImplemented) {
        ctx.report.skipped(
          'g.artifacts',
          `the artifact proxy is not there yet (${probe.statusCode})`,
        );
        return;
      }
      throw e;
    }
    await pool
      .request({ method: 'DELETE', path: `${path}.probe`, headers: authHeaders() })
      .then((r) => r.body.dump());

    log(`(g) writing a ${(size / 2 ** 20).toFixed(0)} MiB file`);
    const block = randomBytes(1024 * 1024);
    const out = createWriteStream(file);
    for (let written = 0; written < size; written += block.length) {
      const piece = block.subarray(0, Math.min(block.length, size - written));
      if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    const source = hashingSink();
    await pipeline(createReadStream(file), source.sink);
    const expected = source.digest();

    ctx.sampler?.enter('g.idle');
    const before = ctx.sampler?.sample();
    const mb = size / 1e6;

    ctx.sampler?.enter('g.proxy_upload');
    let t0 = nowMs();
    const up = await pool.request({
      method: 'PUT',
      path,
      headers: {
        'content-length': String(size),
        'content-type': 'application/octet-stream',
        ...authHeaders(),
      },
      body: createReadStream(file),
    });
    const upText = await up.body.text();
    if (up.statusCode !== 200) throw new HttpError('PUT', path, up.statusCode, upText);
    const proxyUp = mb / ((nowMs() - t0) / 1000);

    ctx.sampler?.enter('g.proxy_download');
    t0 = nowMs();
    const down = await pool.request({ method: 'GET', path, headers: authHeaders() });
    if (down.statusCode !== 200) {
      throw new HttpError('GET', path, down.statusCode, await down.body.text());
    }
    const got = hashingSink();
    await pipeline(down.body, got.sink);
    const proxyDown = mb / ((nowMs() - t0) / 1000);
    ctx.report.check(
      got.bytes() === size && got.digest() === expected,
      `(g) proxy download: ${got.bytes()} bytes, hash ${got.digest() === expected ? 'ok' : 'differs'}`,
    );
    const proxyPeak = Math.max(
      ctx.sampler?.peakByPhase.get('g.proxy_upload') ?? 0,
      ctx.sampler?.peakByPhase.get('g.proxy_download') ?? 0,
    );

    ctx.sampler?.enter('g.direct');
    await ftp.access(ftpAccess(ctx.args.ftpUrl));
    t0 = nowMs();
    await ftp.uploadFrom(createReadStream(file), remote);
    const directUp = mb / ((nowMs() - t0) / 1000);
    const direct = hashingSink();
    t0 = nowMs();
    await ftp.downloadTo(direct.sink, remote);
    const directDown = mb / ((nowMs() - t0) / 1000);
    ctx.report.check(
      direct.bytes() === size && direct.digest() === expected,
      `(g) direct download: ${direct.bytes()} bytes`,
    );

    ctx.report.figure('g.file_mib', size / 2 ** 20, 'MiB');
    ctx.report.figure('g.proxy.upload_mb_per_s', proxyUp, 'MB/s');
    ctx.report.figure('g.direct.upload_mb_per_s', directUp, 'MB/s');
    ctx.report.figure('g.upload.proxy_over_direct', proxyUp / directUp, 'ratio');
    ctx.report.figure('g.proxy.download_mb_per_s', proxyDown, 'MB/s');
    ctx.report.figure('g.direct.download_mb_per_s', directDown, 'MB/s');
    ctx.report.figure('g.download.proxy_over_direct', proxyDown / directDown, 'ratio');
    if (before !== undefined) {
      ctx.report.figure('g.proxy.peak_rss_mb', proxyPeak, 'MB');
      ctx.report.figure('g.proxy.rss_growth_mb', proxyPeak - before, 'MB');
    }
  } finally {
    // Leave nothing on the shared FTP server: the direct copy and this run's directory (its
    // experiment directory only if empty: other scratch databases reuse experiment ids).
    // Other sessions' outage tests stop vsftpd now and then: a few bounded tries.
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        await cleanFtp(ctx.args.ftpUrl, remote, root, runDir);
        break;
      } catch (error) {
        log(`(g) FTP cleanup, try ${attempt}: ${(error as Error).message}`);
        if (attempt < 4) await new Promise((r) => setTimeout(r, 5000));
      }
    }
    ftp.close();
    rmSync(file, { force: true });
    await pool.close();
    await client.close();
  }
}

async function cleanFtp(ftpUrl: string, remote: string, root: string, runDir?: string) {
  const ftp = new FtpClient(30_000);
  try {
    await ftp.access(ftpAccess(ftpUrl));
    await ftp.remove(remote, true);
    if (runDir && /^\d+\/[0-9a-f]{32}$/.test(runDir)) {
      await ftp.removeDir(`${root}/${runDir}`).catch(() => undefined);
      await ftp.send(`RMD ${root}/${runDir.split('/')[0]}`, true);
    }
  } finally {
    ftp.close();
  }
}
