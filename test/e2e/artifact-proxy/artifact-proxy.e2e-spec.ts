import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { BACKENDS } from '../../support/backends';
import {
  ArtifactApp,
  createArtifactApp,
  createRun,
  DESTINATION_KINDS,
  downloadDigest,
  encodePath,
  eventually,
  MB,
  PROXY,
  randomStream,
  rawHttp,
  RunRef,
  sha256,
} from './artifact-support';

const AJAX_PROXY = '/ajax-api/2.0/mlflow-artifacts/artifacts';
const BYTES_0_255 = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe.each(DESTINATION_KINDS)('artifact proxy over a %s destination', (kind) => {
  describe.each(BACKENDS)('with a %s backend store', (backend) => {
    let app: ArtifactApp;
    let run: RunRef;

    beforeAll(async () => {
      app = await createArtifactApp(backend, kind);
      run = await createRun(app.t);
    });

    afterAll(async () => {
      await app?.close();
    });

    const put = (path: string, body: Buffer | string, type = 'application/octet-stream') =>
      app.t.http
        .put(`${PROXY}/${encodePath(path)}`)
        .set('Content-Type', type)
        .send(body);
    const get = (path: string, prefix = PROXY) =>
      app.t.http
        .get(`${prefix}/${encodePath(path)}`)
        .buffer(true)
        .responseType('blob');
    const list = (path: string, prefix = PROXY) =>
      app.t.http.get(`${prefix}?path=${encodeURIComponent(path)}`);
    const del = (path: string) => app.t.http.delete(`${PROXY}/${encodePath(path)}`);

    it('round-trips text, binary, empty, nested and unicode-named files byte for byte', async () => {
      const files: [string, Buffer, string][] = [
        ['hello.txt', Buffer.from('hello proxy\n'), 'text/plain'],
        [
          'dir/sub/data.bin',
          Buffer.concat([BYTES_0_255, randomBytes(300_000)]),
          'application/octet-stream',
        ],
        ['empty.txt', Buffer.alloc(0), 'text/plain'],
        ['dir/page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html'],
        ['grüße/notes v1 (final) 100%.md', Buffer.from('# unicode\n'), 'text/markdown'],
      ];
      for (const [path, body, type] of files) {
        const res = await put(`${run.prefix}/${path}`, body, type);
        expect([path, res.status, res.body]).toEqual([path, 200, {}]);
      }
      for (const [path, body] of files) {
        const res = await get(`${run.prefix}/${path}`);
        expect([path, res.status]).toEqual([path, 200]);
        expect(sha256(res.body as Buffer)).toBe(sha256(body));
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      }
      const ajax = await get(`${run.prefix}/dir/sub/data.bin`, AJAX_PROXY);
      expect(ajax.status).toBe(200);
      expect((ajax.body as Buffer).subarray(0, 256)).toEqual(BYTES_0_255);
    });

    it('sends MLflow download headers: type from the name, attachment, safe filename', async () => {
      const text = await get(`${run.prefix}/hello.txt`);
      expect(text.headers['content-type']).toBe('text/plain');
      expect(text.headers['content-disposition']).toBe('attachment; filename=hello.txt');
      const html = await get(`${run.prefix}/dir/page.html`);
      expect(html.headers['content-type']).toBe('text/html');
      expect(html.headers['content-disposition']).toBe('attachment; filename=page.html');
      expect(html.headers['x-content-type-options']).toBe('nosniff');
      const binary = await get(`${run.prefix}/dir/sub/data.bin`);
      expect(binary.headers['content-type']).toBe('application/octet-stream');
      const unicode = await get(`${run.prefix}/grüße/notes v1 (final) 100%.md`);
      expect(unicode.headers['content-disposition']).toBe(
        `attachment; filename="notes v1 (final) 100_.md"; ` +
          `filename*=UTF-8''notes%20v1%20%28final%29%20100%25.md`,
      );
      const empty = await get(`${run.prefix}/empty.txt`);
      expect([empty.status, (empty.body as Buffer).length]).toEqual([200, 0]);
    });

    it('lists basenames with is_dir and file_size (omitted for empty files and directories)', async () => {
      const root = await list(run.prefix);
      expect(root.status).toBe(200);
      expect(root.body).toEqual({
        files: [
          { path: 'dir', is_dir: true },
          { path: 'empty.txt', is_dir: false },
          { path: 'grüße', is_dir: true },
          { path: 'hello.txt', is_dir: false, file_size: 12 },
        ],
      });
      const nested = await list(`${run.prefix}/dir`, AJAX_PROXY);
      expect(nested.body).toEqual({
        files: [
          { path: 'page.html', is_dir: false, file_size: 38 },
          { path: 'sub', is_dir: true },
        ],
      });
      expect((await list(`${run.prefix}/hello.txt`)).body).toEqual({});
      expect((await list(`${run.prefix}/no/such/dir`)).body).toEqual({});
      const runDir = await list(`${run.experimentId}/${run.runId}`);
      expect(runDir.body).toEqual({ files: [{ path: 'artifacts', is_dir: true }] });
    });

    it('overwrites a file in place, leaving no temporary upload file behind', async () => {
      expect((await put(`${run.prefix}/over.txt`, 'first version')).status).toBe(200);
      expect((await put(`${run.prefix}/over.txt`, 'v2')).status).toBe(200);
      expect((await get(`${run.prefix}/over.txt`)).body.toString()).toBe('v2');
      const names = await app.destination.walk();
      expect(names.filter((n) => n.includes('.upload-'))).toEqual([]);
      expect(names).toContain(`${run.prefix}/over.txt`);
    });

    it('deletes a file and a whole subtree; deleting a missing path is fine', async () => {
      await put(`${run.prefix}/trash/a.txt`, 'a');
      await put(`${run.prefix}/trash/deep/b.txt`, 'b');
      await put(`${run.prefix}/keep.txt`, 'k');
      expect((await del(`${run.prefix}/keep.txt`)).body).toEqual({});
      expect((await get(`${run.prefix}/keep.txt`)).status).toBe(404);
      const gone = await del(`${run.prefix}/trash`);
      expect([gone.status, gone.body]).toEqual([200, {}]);
      expect((await list(`${run.prefix}/trash`)).body).toEqual({});
      expect((await del(`${run.prefix}/never-existed.txt`)).status).toBe(200);
      expect((await app.destination.walk()).filter((n) => n.includes('trash'))).toEqual([]);
    });

    it('answers 404 RESOURCE_DOES_NOT_EXIST for a missing file and for a directory', async () => {
      for (const path of [`${run.prefix}/missing.txt`, `${run.prefix}/dir`]) {
        const res = await app.t.http.get(`${PROXY}/${encodePath(path)}`);
        expect([path, res.status, res.body.error_code]).toEqual([
          path,
          404,
          'RESOURCE_DOES_NOT_EXIST',
        ]);
        expect(res.headers['retry-after']).toBeUndefined();
      }
    });

    it('checks the run in the path exists in that experiment, before touching the store', async () => {
      const other = await createRun(app.t);
      const before = await app.destination.walk();
      const unknownRun = `${run.experimentId}/0123456789abcdef0123456789abcdef/artifacts/x.txt`;
      const foreignRun = `${other.experimentId}/${run.runId}/artifacts/x.txt`;
      for (const path of [unknownRun, foreignRun]) {
        const upload = await put(path, 'x');
        expect([path, upload.status, upload.body.error_code]).toEqual([
          path,
          404,
          'RESOURCE_DOES_NOT_EXIST',
        ]);
        expect((await app.t.http.get(`${PROXY}/${encodePath(path)}`)).status).toBe(404);
        expect((await del(path)).status).toBe(404);
        expect((await list(path.replace(/\/x\.txt$/, ''))).status).toBe(404);
      }
      expect(await app.destination.walk()).toEqual(before);
    });

    it('serves any other relative path under the destination, as MLflow does (a.txt, dir/MLmodel)', async () => {
      expect((await put('a.txt', '0')).status).toBe(200);
      expect((await put('dir/MLmodel', 'flavors: {}')).status).toBe(200);
      const root = await app.t.http.get(PROXY);
      expect(root.status).toBe(200);
      expect(root.body.files).toEqual(
        expect.arrayContaining([
          { path: 'a.txt', is_dir: false, file_size: 1 },
          { path: 'dir', is_dir: true },
        ]),
      );
      expect((await list('dir')).body).toEqual({
        files: [{ path: 'MLmodel', is_dir: false, file_size: 11 }],
      });
      const file = await app.t.http.get(`${PROXY}/dir/MLmodel`);
      expect([file.status, file.headers['content-type'], file.text]).toEqual([
        200,
        'text/plain',
        'flavors: {}',
      ]);
      expect((await del('dir')).status).toBe(200);
      expect((await list('dir')).body).toEqual({});
      expect((await app.t.http.get(`${PROXY}/dir/MLmodel`)).status).toBe(404);
    });

    it("serves a logged model's files under <experiment_id>/models/<model_id>/artifacts", async () => {
      const created = await app.t.http
        .post('/api/2.0/mlflow/logged-models')
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            experiment_id: run.experimentId,
            name: 'model',
            source_run_id: run.runId,
          }),
        );
      expect(created.status).toBe(200);
      const modelId = created.body.model.info.model_id as string;
      const location = created.body.model.info.artifact_uri as string;
      expect(location).toBe(`mlflow-artifacts:/${run.experimentId}/models/${modelId}/artifacts`);
      const dir = `${run.experimentId}/models/${modelId}/artifacts`;
      expect((await put(`${dir}/MLmodel`, 'flavors: {}\n')).status).toBe(200);
      const file = await get(`${dir}/MLmodel`);
      expect([file.status, file.headers['content-type'], file.body.toString()]).toEqual([
        200,
        'text/plain',
        'flavors: {}\n',
      ]);
      expect((await list(dir)).body).toEqual({
        files: [{ path: 'MLmodel', is_dir: false, file_size: 12 }],
      });
      const other = await createRun(app.t);
      expect((await put(`${other.experimentId}/models/${modelId}/artifacts/x`, 'x')).status).toBe(
        404,
      );
      expect(
        (await put(`${run.experimentId}/models/m-${'0'.repeat(32)}/artifacts/x`, 'x')).status,
      ).toBe(404);
    });

    it('answers multipart upload with 501 and the message prefix the client falls back on', async () => {
      const bodies: Record<string, unknown> = {
        create: { path: 'big.bin', num_parts: 2 },
        complete: {
          path: 'big.bin',
          upload_id: 'u',
          parts: [{ part_number: 1, etag: 'e', url: 'x' }],
        },
        abort: { path: 'big.bin', upload_id: 'u' },
      };
      for (const [op, body] of Object.entries(bodies)) {
        const res = await app.t.http
          .post(`/api/2.0/mlflow-artifacts/mpu/${op}/${run.prefix}/big.bin`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect([op, res.status, res.body.error_code]).toEqual([op, 501, 'NOT_IMPLEMENTED']);
        expect(res.body.message).toMatch(
          /^Multipart upload is not supported for the current artifact repository/,
        );
      }
    });

    it('takes 24 concurrent uploads and serves each back intact', async () => {
      const files = Array.from({ length: 24 }, (_, i) => ({
        path: `${run.prefix}/concurrent/part-${String(i).padStart(2, '0')}.bin`,
        body: randomBytes(64 * 1024 + i * 4099),
      }));
      const uploads = await Promise.all(files.map((f) => put(f.path, f.body)));
      expect(uploads.map((r) => r.status)).toEqual(files.map(() => 200));
      const listing = await list(`${run.prefix}/concurrent`);
      expect(listing.body.files).toEqual(
        files.map((f) => ({
          path: f.path.split('/').pop(),
          is_dir: false,
          file_size: f.body.length,
        })),
      );
      const downloads = await Promise.all(files.map((f) => get(f.path)));
      expect(downloads.map((r) => sha256(r.body as Buffer))).toEqual(
        files.map((f) => sha256(f.body)),
      );
    });

    it('frees the store connection of every download a client abandons', async () => {
      const path = `${run.prefix}/abandon/large.bin`;
      const upload = randomStream(MB, 8);
      const put8 = await rawHttp(app.baseUrl, 'PUT', `${PROXY}/${path}`, { body: upload.stream });
      expect(put8.status).toBe(200);
      const url = new URL(app.baseUrl);
      // More than any pool holds (FTP 4 connections, SFTP 2 x 4 leases).
      for (let i = 0; i < 10; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(
            { host: url.hostname, port: url.port, path: `${PROXY}/${path}` },
            (res) => {
              res.once('data', () => {
                req.destroy();
                resolve();
              });
            },
          );
          req.on('error', (err: NodeJS.ErrnoException) =>
            err.code === 'ECONNRESET' ? resolve() : reject(err),
          );
          req.end();
        });
      }
      const whole = await downloadDigest(app.baseUrl, `${PROXY}/${path}`);
      expect([whole.status, whole.size, whole.sha256]).toEqual([200, 8 * MB, upload.sha256()]);
      const small = await get(`${run.prefix}/hello.txt`);
      expect(small.status).toBe(200);
    });

    it('leaves neither the file nor a temporary file when a client aborts an upload', async () => {
      const path = `${run.prefix}/aborted/partial.bin`;
      const url = new URL(app.baseUrl);
      await new Promise<void>((resolve) => {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `${PROXY}/${path}`,
          headers: { 'Content-Length': String(20 * MB) },
        });
        req.on('error', () => resolve());
        req.write(randomBytes(2 * MB), () => {
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 200);
        });
      });
      const clean = await eventually(async () => {
        const names = await app.destination.walk();
        return !names.some((n) => n.includes('aborted/'));
      });
      expect(clean ? [] : await app.destination.walk()).toEqual([]);
      expect((await get(path)).status).toBe(404);
      expect((await put(`${run.prefix}/aborted/after.txt`, 'still works')).status).toBe(200);
    });

    describe('tracking-side routes over the same store', () => {
      it('lists with paths relative to the run root, and root_uri first', async () => {
        const res = await app.t.http.get(
          `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=dir`,
        );
        expect(res.status).toBe(200);
        expect(Object.keys(res.body)).toEqual(['root_uri', 'files']);
        expect(res.body).toEqual({
          root_uri: run.artifactUri,
          files: [
            { path: 'dir/page.html', is_dir: false, file_size: 38 },
            { path: 'dir/sub', is_dir: true },
          ],
        });
        const file = await app.t.http.get(
          `/ajax-api/2.0/mlflow/artifacts/list?run_uuid=${run.runId}&path=hello.txt`,
        );
        expect(file.body).toEqual({ root_uri: run.artifactUri });
        const missing = await app.t.http.get(
          '/api/2.0/mlflow/artifacts/list?run_id=0123456789abcdef0123456789abcdef',
        );
        expect([missing.status, missing.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      });

      it('downloads through /get-artifact, 404 for a missing file', async () => {
        const res = await app.t.http
          .get(`/get-artifact?path=dir%2Fsub%2Fdata.bin&run_uuid=${run.runId}`)
          .buffer(true)
          .responseType('blob');
        expect(res.status).toBe(200);
        expect((res.body as Buffer).subarray(0, 256)).toEqual(BYTES_0_255);
        expect(res.headers['content-disposition']).toBe('attachment; filename=data.bin');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        const missing = await app.t.http.get(`/get-artifact?path=nope.txt&run_id=${run.runId}`);
        expect([missing.status, missing.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      });

      it("serves a model version's files from its storage location", async () => {
        const post = (path: string, body: unknown) =>
          app.t.http
            .post(`/api/2.0/mlflow/${path}`)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
        const name = `model-${run.runId.slice(0, 8)}`;
        expect((await post('registered-models/create', { name })).status).toBe(200);
        const created = await post('model-versions/create', {
          name,
          source: `runs:/${run.runId}/dir`,
          run_id: run.runId,
        });
        expect(created.status).toBe(200);
        const version = created.body.model_version.version as string;
        const file = await app.t.http
          .get(`/model-versions/get-artifact?name=${name}&version=${version}&path=sub%2Fdata.bin`)
          .buffer(true)
          .responseType('blob');
        expect([file.status, file.headers['content-disposition']]).toEqual([
          200,
          'attachment; filename=data.bin',
        ]);
        expect((file.body as Buffer).subarray(0, 256)).toEqual(BYTES_0_255);
        const escape = await app.t.http.get(
          `/model-versions/get-artifact?name=${name}&version=${version}&path=..%2F..%2Fhello.txt`,
        );
        expect([escape.status, escape.body]).toEqual([
          400,
          { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' },
        ]);
        const missing = await app.t.http.get(
          `/model-versions/get-artifact?name=${name}&version=${version}&path=nope.bin`,
        );
        expect([missing.status, missing.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
        const noVersion = await app.t.http.get(
          `/model-versions/get-artifact?name=${name}&version=99&path=sub%2Fdata.bin`,
        );
        expect([noVersion.status, noVersion.body.error_code]).toEqual([
          404,
          'RESOURCE_DOES_NOT_EXIST',
        ]);
      });

      it('takes UI uploads of up to 10 MB, refusing empty and larger bodies', async () => {
        const upload = (path: string, body: Buffer) =>
          rawHttp(
            app.baseUrl,
            'POST',
            `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.runId}&path=${encodeURIComponent(path)}`,
            { headers: { 'Content-Type': 'text/plain' }, body },
          );
        const ok = await upload('ui/notes.txt', Buffer.from('from the ui\n'));
        expect([ok.status, ok.body.toString()]).toEqual([200, '']);
        expect((await get(`${run.prefix}/ui/notes.txt`)).body.toString()).toBe('from the ui\n');
        const empty = await upload('ui/empty.txt', Buffer.alloc(0));
        expect([empty.status, empty.json()]).toEqual([
          400,
          { error_code: 'INVALID_PARAMETER_VALUE', message: 'Request must specify data.' },
        ]);
        const large = await upload('ui/large.bin', Buffer.alloc(10 * MB + 1));
        expect([large.status, large.json().message]).toEqual([
          400,
          'Artifact size is too large. Max size is 10MB.',
        ]);
        const names = await app.destination.walk();
        expect(names.filter((n) => n.includes('/ui/'))).toEqual([`${run.prefix}/ui/notes.txt`]);
      });
    });
  });
});
