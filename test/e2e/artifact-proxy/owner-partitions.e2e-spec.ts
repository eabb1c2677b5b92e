import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { IdentityStore } from '@app/domain';
import { hashPassword } from '@app/http';

import { createTestApp, TestApp } from '../../support/test-app';
import { createDestination, Destination, DESTINATION_KINDS } from './artifact-support';

const ADMIN = { username: 'root', password: 'partition-Admin-passw0rd' };
const ALICE = { username: 'alice', password: 'partition-Alice-passw0rd' };
const basic = ({ username, password }: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/**
 * Each owner's artifacts live under `owners/<user id>/` of the store, whichever service writes or
 * reads them; experiments from before tenancy keep the flat `<experiment_id>/…` layout and stay
 * readable once authentication is turned on.
 */
describe.each(DESTINATION_KINDS)('artifact partitions per owner on a %s store', (kind) => {
  let dir: string;
  let destination: Destination;
  let backendStoreUri: string;
  const apps: TestApp[] = [];

  const start = async (env: Record<string, string>) => {
    const t = await createTestApp('sqlite', {
      backendStoreUri,
      env: { ARTIFACTS_DESTINATION: destination.uri, ...env },
    });
    apps.push(t);
    return t;
  };

  const createRunWithFile = async (t: TestApp, name: string, authorization?: string) => {
    const auth = (req: ReturnType<TestApp['http']['post']>) =>
      authorization ? req.set('Authorization', authorization) : req;
    const experimentId = (
      await auth(t.http.post('/api/2.0/mlflow/experiments/create')).send({ name })
    ).body.experiment_id as string;
    const run = (
      await auth(t.http.post('/api/2.0/mlflow/runs/create')).send({ experiment_id: experimentId })
    ).body.run.info as { run_id: string };
    const path = `${experimentId}/${run.run_id}/artifacts/model/MLmodel`;
    const put = await auth(t.http.put(`/api/2.0/mlflow-artifacts/artifacts/${path}`))
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from(`flavors: {} # ${name}\n`));
    expect(put.status).toBe(200);
    return { experimentId, runId: run.run_id, path };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flops-partitions-'));
    mkdirSync(join(dir, 'store'), { recursive: true });
    destination = await createDestination(kind, join(dir, 'store'));
    backendStoreUri = `sqlite:///${join(dir, 'shared.db')}`;
  });

  afterAll(async () => {
    for (const t of apps) await t.close();
    await destination.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the flat layout before tenancy, partitions new owners, and serves both', async () => {
    const embedded = await start({});
    const legacy = await createRunWithFile(embedded, 'FLOps Project before tenancy');
    await embedded.close();
    apps.splice(apps.indexOf(embedded), 1);
    expect(await destination.walk()).toContain(legacy.path);

    const t = await start({
      AUTH_MODE: 'basic',
      AUTH_ADMIN_USERNAME: ADMIN.username,
      AUTH_ADMIN_PASSWORD: ADMIN.password,
    });
    const alice = await t.app.get(IdentityStore).createUser({
      username: ALICE.username,
      passwordHash: await hashPassword(ALICE.password),
      isAdmin: false,
    });
    const own = await createRunWithFile(t, 'FLOps Project of alice', basic(ALICE));
    const files = await destination.walk();
    expect(files).toContain(`owners/${alice.id}/${own.path}`);
    expect(files).not.toContain(own.path);

    // Every service's artifact route maps the same way: the proxy, tracking's list and the UI download.
    const download = await t.http
      .get(`/api/2.0/mlflow-artifacts/artifacts/${own.path}`)
      .set('Authorization', basic(ALICE))
      .responseType('blob');
    expect([download.status, (download.body as Buffer).toString('utf8')]).toEqual([
      200,
      'flavors: {} # FLOps Project of alice\n',
    ]);
    const listed = await t.http
      .get('/api/2.0/mlflow/artifacts/list')
      .query({ run_id: own.runId, path: 'model' })
      .set('Authorization', basic(ALICE));
    expect(listed.body.files).toEqual([
      { path: 'model/MLmodel', is_dir: false, file_size: expect.any(Number) },
    ]);
    const ui = await t.http
      .get('/get-artifact')
      .query({ run_id: own.runId, path: 'model/MLmodel' })
      .set('Authorization', basic(ALICE));
    expect(ui.status).toBe(200);

    // The registry's download reads the version's files from the owner's directory too.
    await t.http
      .post('/api/2.0/mlflow/registered-models/create')
      .set('Authorization', basic(ALICE))
      .send({ name: 'alice-model' });
    const version = await t.http
      .post('/api/2.0/mlflow/model-versions/create')
      .set('Authorization', basic(ALICE))
      .send({ name: 'alice-model', source: `runs:/${own.runId}/model`, run_id: own.runId });
    expect(version.status).toBe(200);
    const fromRegistry = await t.http
      .get('/model-versions/get-artifact')
      .query({ name: 'alice-model', version: '1', path: 'MLmodel' })
      .set('Authorization', basic(ALICE));
    expect(fromRegistry.status).toBe(200);

    // The experiment from before tenancy belongs to nobody: an admin still reads it where it was.
    const old = await t.http
      .get(`/api/2.0/mlflow-artifacts/artifacts/${legacy.path}`)
      .set('Authorization', basic(ADMIN));
    expect(old.status).toBe(200);
    const refused = await t.http
      .get(`/api/2.0/mlflow-artifacts/artifacts/${legacy.path}`)
      .set('Authorization', basic(ALICE));
    expect(refused.status).toBe(404);
  });
});
