import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { WEB_UI_CSP } from '@app/http';

import { createTestApp, rawRequest, TestApp } from '../../support/test-app';

/** A built UI as Vite lays it out: index.html and content-hashed assets. */
function fixtureBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flops-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(
    join(dir, 'assets', 'index-abc123.js'),
    `console.log(${JSON.stringify('x'.repeat(4000))});\n`,
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{margin:0}');
  return dir;
}

describe('the web UI served by the suite', () => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) =>
    rawRequest(t, 'GET', url, headers);

  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      env: { WEB_UI_ENABLED: 'true', WEB_UI_DIR: fixtureBuild() },
    });
  });
  afterAll(() => t.close());

  it('answers / and every client-side route with index.html, uncached, under a strict CSP', async () => {
    for (const url of [
      '/',
      '/projects',
      '/projects/3/rounds/2?tab=charts',
      '/models/a%20b/versions/1',
      '/signin',
    ]) {
      const res = await get(url, { accept: 'text/html' });
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(WEB_UI_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves assets compressed as accepted, cached as immutable, with ETag revalidation', async () => {
    const plain = await get('/assets/index-abc123.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();

    const br = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: '/assets/index-abc123.js',
        headers: { 'accept-encoding': 'gzip, br' },
      });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.text);
    const gzip = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: '/assets/index-abc123.js',
        headers: { 'accept-encoding': 'gzip' },
      });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.text);

    const etag = String(plain.headers.etag);
    const again = await get('/assets/index-abc123.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('serves only files of the build: traversal and unknown names are 404, never file content', async () => {
    for (const url of [
      '/assets/nope.js',
      '/assets/../../../../etc/passwd',
      '/assets/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fetc%2fpasswd',
      '/assets/index-abc123.js%00.css',
      '/projects/../../etc/passwd',
    ]) {
      const res = await get(url);
      expect(res.text).not.toContain('root:');
      if (url.startsWith('/assets/')) expect([url, res.status]).toEqual([url, 404]);
    }
  });

  it('leaves the API, Swagger UI and health as they were, and serves nothing on other methods', async () => {
    const api = await get('/api/2.0/mlflow/nope', { accept: 'text/html' });
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    expect((await get('/docs')).status).toBe(200);
    expect((await get('/health')).text).toBe('OK');
    const post = await rawRequest(t, 'POST', '/', { 'content-type': 'application/json' }, '{}');
    expect(post.status).toBe(404);
  });
});

describe('the web UI switched off, or not built', () => {
  it('WEB_UI_ENABLED=false: / is not served', async () => {
    const t = await createTestApp('sqlite', {
      env: { WEB_UI_ENABLED: 'false', WEB_UI_DIR: fixtureBuild() },
    });
    try {
      expect((await rawRequest(t, 'GET', '/', { accept: 'text/html' })).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('a folder without a build: the server boots and / says how to build the UI', async () => {
    const t = await createTestApp('sqlite', {
      env: { WEB_UI_ENABLED: 'true', WEB_UI_DIR: mkdtempSync(join(tmpdir(), 'flops-empty-')) },
    });
    try {
      const res = await rawRequest(t, 'GET', '/projects', { accept: 'text/html' });
      expect(res.status).toBe(503);
      expect(res.text).toContain('npm run build:web');
      expect((await rawRequest(t, 'GET', '/health', {})).text).toBe('OK');
    } finally {
      await t.close();
    }
  });
});
