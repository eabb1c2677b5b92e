import { BACKENDS } from '../../support/backends';
import {
  ArtifactApp,
  createArtifactApp,
  createRun,
  DESTINATION_KINDS,
  PROXY,
  rawHttp,
  RunRef,
} from './artifact-support';

/**
 * The artifact-path part of the bad-input catalogue (security reference §1.3 A), each entry as
 * the value a server sees after one round of URL decoding.
 */
const ESCAPES = [
  '../../etc/passwd',
  'a/../../b',
  '..',
  '%2e%2e/x',
  '%2e%2e%2fx',
  '..%2fx',
  '%252e%252e%252fx',
  '%25252e%25252e%25252fx',
  '..%5cx',
  '%c0%ae%c0%ae/x',
  '..\\..\\x',
  'a\\..\\..\\b',
  '\\\\host\\share\\x',
  'a#/../../x',
  'a;/../x',
  'a?x=../..',
  'a#b',
  'a%00b',
  'a\u0000b',
  'a%0d%0aDELE%20x',
  'a\r\nRMD /',
  '．．／x',
  '\u2024\u2024/x',
  'x'.repeat(1100),
  Array.from({ length: 65 }, () => 'd').join('/'),
];

/** Refused as a whole path (below a run directory they are just odd but harmless names). */
const ABSOLUTE = [
  '/etc/passwd',
  '//etc/passwd',
  'C:/x',
  'C:\\x',
  'file:///etc/passwd',
  'file://host/x',
];

/** The destination's root itself: listed (as MLflow does), never written or deleted. */
const ROOTISH = ['', '.', './.', './/', '%2e'];

/**
 * How a client puts the value into a URL path: characters that cannot travel raw (controls,
 * space, `#`, `?`, non-ASCII) percent-encoded, everything else (`%`, `..`, `\`) as typed.
 */
function inPath(value: string): string {
  return Array.from(value)
    .map((ch) =>
      /^[\x21-\x7e]$/.test(ch) && ch !== '#' && ch !== '?' ? ch : encodeURIComponent(ch),
    )
    .join('');
}

const INVALID_PATH = { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' };

describe.each(DESTINATION_KINDS)('artifact path safety over a %s destination', (kind) => {
  describe.each(BACKENDS)('with a %s backend store', (backend) => {
    let app: ArtifactApp;
    let run: RunRef;
    let before: string[];
    let siblingsBefore: string[];

    beforeAll(async () => {
      app = await createArtifactApp(backend, kind);
      run = await createRun(app.t);
      const canary = await rawHttp(app.baseUrl, 'PUT', `${PROXY}/${run.prefix}/canary/keep.txt`, {
        body: 'canary',
      });
      if (canary.status !== 200) throw new Error(`canary upload failed: ${canary.body.toString()}`);
      before = await app.destination.walk();
      siblingsBefore = await app.destination.siblings();
    });

    afterAll(async () => {
      await app?.close();
    });

    /** Sends every request; returns the ones not answered 400 "Invalid path". */
    async function refusals(
      requests: { method: string; target: string; body?: string; json?: boolean }[],
    ): Promise<string[]> {
      const wrong: string[] = [];
      for (const r of requests) {
        const res = await rawHttp(app.baseUrl, r.method, r.target, {
          body: r.body,
          headers: r.json
            ? { 'Content-Type': 'application/json' }
            : { 'Content-Type': 'text/plain' },
        });
        let body: unknown = res.body.toString();
        try {
          body = res.json();
        } catch {
          // not JSON: reported as text
        }
        if (res.status !== 400 || JSON.stringify(body) !== JSON.stringify(INVALID_PATH)) {
          wrong.push(
            `${r.method} ${JSON.stringify(r.target)} -> ${res.status} ${JSON.stringify(body)}`,
          );
        }
      }
      return wrong;
    }

    function proxyRequests(path: string) {
      const raw = inPath(path);
      const mpuBody = JSON.stringify({
        path: 'x',
        upload_id: 'u',
        num_parts: 1,
        parts: [{ part_number: 1 }],
      });
      return [
        { method: 'PUT', target: `${PROXY}/${raw}`, body: 'x' },
        { method: 'PUT', target: `/ajax-api/2.0/mlflow-artifacts/artifacts/${raw}`, body: 'x' },
        { method: 'GET', target: `${PROXY}/${raw}` },
        { method: 'DELETE', target: `${PROXY}/${raw}` },
        { method: 'GET', target: `${PROXY}?path=${encodeURIComponent(path)}` },
        {
          method: 'GET',
          target: `/ajax-api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(path)}`,
        },
        ...['create', 'complete', 'abort'].map((op) => ({
          method: 'POST',
          target: `/api/2.0/mlflow-artifacts/mpu/${op}/${raw}`,
          body: mpuBody,
          json: true,
        })),
      ];
    }

    it('refuses every escaping path on every proxy route with 400, as a whole path and below a run', async () => {
      const wrong = await refusals(
        ESCAPES.flatMap((bad) => [...proxyRequests(bad), ...proxyRequests(`${run.prefix}/${bad}`)]),
      );
      expect(wrong).toEqual([]);
    });

    it('refuses absolute paths, drive letters and file: URIs on every proxy route', async () => {
      expect(await refusals(ABSOLUTE.flatMap(proxyRequests))).toEqual([]);
    });

    it('never writes or deletes the root or a bare experiment directory; lists them as MLflow does', async () => {
      const changes = (path: string) => proxyRequests(path).filter((r) => r.method !== 'GET');
      const wrong = await refusals([
        ...ROOTISH.flatMap(changes),
        ...changes(run.experimentId),
        ...changes(`${run.experimentId}/models`),
        { method: 'DELETE', target: `${PROXY}/` },
      ]);
      expect(wrong).toEqual([]);
      for (const target of [PROXY, `${PROXY}?path=`, `${PROXY}?path=${run.experimentId}`]) {
        const listing = await rawHttp(app.baseUrl, 'GET', target);
        expect([target, listing.status]).toEqual([target, 200]);
      }
      const directory = await rawHttp(app.baseUrl, 'GET', `${PROXY}/${run.experimentId}`);
      expect(directory.status).toBe(404);
    });

    it('refuses escaping relative paths on the tracking and registry routes', async () => {
      const model = `safety-${run.runId.slice(0, 8)}`;
      const post = (path: string, body: unknown) =>
        rawHttp(app.baseUrl, 'POST', `/api/2.0/mlflow/${path}`, {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post('registered-models/create', { name: model })).status).toBe(200);
      const version = await post('model-versions/create', {
        name: model,
        source: `runs:/${run.runId}/canary`,
        run_id: run.runId,
      });
      expect(version.status).toBe(200);
      const wrong = await refusals(
        [...ESCAPES, ...ABSOLUTE].flatMap((bad) => {
          const q = encodeURIComponent(bad);
          return [
            {
              method: 'GET',
              target: `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=${q}`,
            },
            { method: 'GET', target: `/get-artifact?run_uuid=${run.runId}&path=${q}` },
            {
              method: 'GET',
              target: `/model-versions/get-artifact?name=${model}&version=1&path=${q}`,
            },
            {
              method: 'POST',
              target: `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.runId}&path=${q}`,
              body: 'x',
            },
          ];
        }),
      );
      expect(wrong).toEqual([]);
    });

    it('wrote and deleted nothing, inside the root or beside it', async () => {
      expect(await app.destination.walk()).toEqual(before);
      // Beside our root only new names count: other users of a shared test server (other apps,
      // a benchmark) may remove their own directories meanwhile.
      const isOtherApp = (name: string) => name.startsWith('e2e-');
      const appeared = (await app.destination.siblings()).filter(
        (n) => !isOtherApp(n) && !siblingsBefore.includes(n),
      );
      expect(appeared).toEqual([]);
      const canary = await rawHttp(app.baseUrl, 'GET', `${PROXY}/${run.prefix}/canary/keep.txt`);
      expect([canary.status, canary.body.toString()]).toEqual([200, 'canary']);
    });
  });
});
