import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

import { BACKENDS } from '../../support/backends';
import {
  ArtifactApp,
  createArtifactApp,
  createRun,
  MB,
  PROXY,
  rawHttp,
  RunRef,
} from './artifact-support';

const FTP_CTL = join(__dirname, '../../../scripts/ftp-ctl.sh');
const ftpCtl = async (command: 'stop' | 'start') => {
  await promisify(execFile)(FTP_CTL, [command]);
};

/**
 * 32 MB in 256 KB chunks, paced so the upload is still running when the server goes down
 * (`onHalfway` runs once 4 MB are sent, and the rest waits for it). The proxy answers before
 * the body ends; `rawHttp` still sends all of it before resolving, like the Python client, so
 * the test also shows the proxy drains a refused body instead of stalling or resetting it.
 */
function pacedBody(onHalfway: () => Promise<void>): Readable {
  const chunk = 256 * 1024;
  let sent = 0;
  let halfway: Promise<void> | undefined;
  return new Readable({
    read() {
      if (sent >= 32 * MB) {
        this.push(null);
        return;
      }
      if (sent >= 4 * MB && halfway === undefined) {
        halfway = onHalfway();
        halfway.then(
          () => this.push(randomBytes(chunk)),
          (err: Error) => this.destroy(err),
        );
        sent += chunk;
        return;
      }
      sent += chunk;
      setTimeout(() => this.push(randomBytes(chunk)), 2);
    },
  });
}

// Stops the shared test vsftpd for about a second: other FTP suites running at the same time
// would see the outage too (npm run test:e2e runs in band).
describe('the FTP server going down and coming back', () => {
  let app: ArtifactApp;
  let run: RunRef;

  beforeAll(async () => {
    app = await createArtifactApp(BACKENDS[0], 'ftp');
    run = await createRun(app.t);
  });

  afterAll(async () => {
    await ftpCtl('start');
    await app?.close();
  });

  it('answers 503 with Retry-After, leaves no partial file, and recovers without a restart', async () => {
    const before = await rawHttp(app.baseUrl, 'PUT', `${PROXY}/${run.prefix}/before.txt`, {
      body: 'ok',
    });
    expect(before.status).toBe(200);

    let whileDown: { status: number; retryAfter: unknown; runStatus: number } | undefined;
    try {
      const upload = await rawHttp(
        app.baseUrl,
        'PUT',
        `${PROXY}/${run.prefix}/during/partial.bin`,
        {
          headers: { 'Content-Type': 'application/octet-stream' },
          body: pacedBody(() => ftpCtl('stop')),
        },
      );
      expect([upload.status, upload.json().error_code]).toEqual([503, 'TEMPORARILY_UNAVAILABLE']);
      expect(Number(upload.headers['retry-after'])).toBeGreaterThan(0);

      const read = await rawHttp(app.baseUrl, 'GET', `${PROXY}/${run.prefix}/before.txt`);
      const runGet = await rawHttp(
        app.baseUrl,
        'GET',
        `/api/2.0/mlflow/runs/get?run_id=${run.runId}`,
      );
      whileDown = {
        status: read.status,
        retryAfter: read.headers['retry-after'],
        runStatus: runGet.status,
      };
    } finally {
      await ftpCtl('start');
    }
    // Reads fail the same way while the store is down; tracking itself keeps working.
    expect(whileDown).toEqual({ status: 503, retryAfter: '5', runStatus: 200 });

    const after = await rawHttp(app.baseUrl, 'PUT', `${PROXY}/${run.prefix}/after.txt`, {
      body: 'back',
    });
    expect(after.status).toBe(200);
    const read = await rawHttp(app.baseUrl, 'GET', `${PROXY}/${run.prefix}/after.txt`);
    expect([read.status, read.body.toString()]).toEqual([200, 'back']);

    const partial = await rawHttp(app.baseUrl, 'GET', `${PROXY}/${run.prefix}/during/partial.bin`);
    expect(partial.status).toBe(404);
    const listing = await rawHttp(app.baseUrl, 'GET', `${PROXY}?path=${run.prefix}/during`);
    expect(listing.json()).toEqual({});
    const names = await app.destination.walk();
    expect(names.filter((n) => n.includes('during/'))).toEqual([]);
  }, 60_000);
});
