import { request as httpRequest } from 'node:http';

import { IdentityStore } from '@app/domain';
import { hashPassword, newTokenSecret, tokenSecretHash } from '@app/http';

import { BACKENDS } from '../support/backends';
import { createTestApp, TestApp } from '../support/test-app';
import { Deviation, DEVIATIONS, SIGNED_IN_DEVIATIONS } from './deviations';
import {
  Bindings,
  compareJson,
  describedBytes,
  GoldenExchange,
  loadGolden,
  Mismatch,
} from './golden';

/** The recorded files replayed here; each is replayed in order against a fresh, empty suite. */
const FILES = [
  'experiments.json',
  'runs.json',
  'metrics.json',
  'search.json',
  'errors.json',
  'artifacts.json',
  'registry.json',
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  rawPayload: Buffer;
}

/**
 * The replay's two ways in: the embedded default (no authentication), and signed in with HTTP
 * Basic as a plain user named after the recorded client's user (`golden`), as the MLflow client
 * sends MLFLOW_TRACKING_USERNAME/PASSWORD, and with that user's API token as MLFLOW_TRACKING_TOKEN:
 * every exchange must be answered the same.
 */
const GOLDEN_USER = { username: 'golden', password: 'golden-replay-Passw0rd' };
const GOLDEN_TOKEN = newTokenSecret();
const SIGNED_IN_ENV = {
  AUTH_MODE: 'basic',
  AUTH_ADMIN_USERNAME: 'admin',
  AUTH_ADMIN_PASSWORD: 'replay-root-Passw0rd',
};
const MODES: { mode: string; env: Record<string, string>; authorization?: string }[] = [
  { mode: 'without authentication', env: {}, authorization: undefined },
  {
    mode: 'signed in with Basic as a user who is not an admin',
    env: SIGNED_IN_ENV,
    authorization: `Basic ${Buffer.from(`${GOLDEN_USER.username}:${GOLDEN_USER.password}`).toString('base64')}`,
  },
  {
    mode: "signed in with that user's API token",
    env: SIGNED_IN_ENV,
    authorization: `Bearer ${GOLDEN_TOKEN}`,
  },
];

async function send(
  t: TestApp,
  exchange: GoldenExchange,
  bindings: Bindings,
  authorization: string | undefined,
): Promise<Answer> {
  const { request } = exchange;
  const headers: Record<string, string> = authorization ? { authorization } : {};
  if (request.headers['content-type']) headers['content-type'] = request.headers['content-type'];
  let payload: string | Buffer | undefined;
  if (request.body_format === 'description') payload = describedBytes(request.body as string);
  else if (request.body_format === 'raw-text') payload = request.body as string;
  else if (request.body !== null && request.body !== undefined) {
    payload = JSON.stringify(bindings.body(request.body));
  }
  const url = bindings.path(request.path);
  // inject() resolves `..`, `.` and `%2E%2E` segments as a URL parser does; the recording sent them as
  // they are (as curl --path-as-is or a hostile client would), so those go over a real socket.
  if (DOT_SEGMENT.test(url.split('?')[0])) {
    return sendRaw(t, request.method, url, headers, payload);
  }
  const response = await t.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: request.method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: response.body,
    rawPayload: response.rawPayload,
  };
}

const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;
const listening = new WeakMap<TestApp, Promise<number>>();

async function sendRaw(
  t: TestApp,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload: string | Buffer | undefined,
): Promise<Answer> {
  let port = listening.get(t);
  if (!port) {
    port = t.app.listen(0, '127.0.0.1').then(() => {
      const address = t.app.getHttpServer().address();
      return typeof address === 'object' && address ? address.port : 0;
    });
    listening.set(t, port);
  }
  const target = await port;
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: target, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const rawPayload = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: rawPayload.toString('utf8'),
          rawPayload,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function check(
  exchange: GoldenExchange,
  answer: Answer,
  bindings: Bindings,
  deviation?: Deviation,
): Mismatch[] {
  const expected = exchange.response;
  const status = deviation?.status ?? expected.status;
  const problems: Mismatch[] = [];
  if (answer.status !== status) {
    problems.push({
      path: 'status',
      problem: `expected ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`,
    });
  }
  const body = parse(answer.text);
  // A deviation that names a status answers with that status; it is an error only if it names a code.
  const recordedCode = (expected.body as { error_code?: string } | null)?.error_code;
  const expectedCode =
    deviation?.status !== undefined ? deviation.errorCode : (deviation?.errorCode ?? recordedCode);
  if (expectedCode) {
    const code = (body as { error_code?: string } | null)?.error_code;
    if (code !== expectedCode) {
      problems.push({ path: 'error_code', problem: `expected ${expectedCode}, got ${code}` });
    }
    if (typeof (body as { message?: unknown })?.message !== 'string') {
      problems.push({ path: 'message', problem: 'missing' });
    }
    return problems;
  }
  if (deviation?.ignoreBody || problems.length > 0) return problems;
  if (expected.headers['content-disposition']) {
    const recorded = expected.body as { length: number; first_bytes_hex: string };
    if (answer.rawPayload.length !== recorded.length) {
      problems.push({
        path: 'body.length',
        problem: `expected ${recorded.length}, got ${answer.rawPayload.length}`,
      });
    }
    const hex = answer.rawPayload.subarray(0, 16).toString('hex');
    if (hex !== recorded.first_bytes_hex) {
      problems.push({
        path: 'body.first_bytes',
        problem: `expected ${recorded.first_bytes_hex}, got ${hex}`,
      });
    }
    return problems;
  }
  if (typeof expected.body === 'string') {
    return expected.body === answer.text || bindings.matchString(expected.body, answer.text)
      ? problems
      : [
          ...problems,
          {
            path: 'body',
            problem: `expected text ${JSON.stringify(expected.body)}, got ${JSON.stringify(answer.text.slice(0, 200))}`,
          },
        ];
  }
  return [
    ...problems,
    ...compareJson(expected.body, body, bindings, { looseValues: ['next_page_token'] }),
  ];
}

describe.each(BACKENDS)('golden replay of MLflow 2.17.2 exchanges on %s', (backend) => {
  describe.each(MODES)('$mode', ({ env, authorization }) => {
    describe.each(FILES)('%s', (file) => {
      let t: TestApp;
      const bindings = new Bindings();
      const exchanges = loadGolden(file);

      beforeAll(async () => {
        t = await createTestApp(backend, { env });
        if (authorization) {
          const identity = t.app.get(IdentityStore);
          const user = await identity.createUser({
            username: GOLDEN_USER.username,
            passwordHash: await hashPassword(GOLDEN_USER.password),
            isAdmin: false,
          });
          // The recording used the shared Default experiment, which belongs to nobody once users
          // exist: an admin shares it, as a deployment that keeps one would.
          await identity.createExperimentGrant('0', user.id, 'MANAGE');
          await identity.createToken({
            userId: user.id,
            name: 'golden replay',
            secretHash: tokenSecretHash(GOLDEN_TOKEN),
            experimentId: null,
            expirationTime: null,
          });
        }
      });

      afterAll(async () => {
        await t.close();
      });

      it('answers every recorded exchange as MLflow does, bar the listed deliberate differences', async () => {
        const failures: string[] = [];
        for (const exchange of exchanges) {
          const deviation =
            (authorization ? SIGNED_IN_DEVIATIONS[file]?.[exchange.name] : undefined) ??
            DEVIATIONS[file]?.[exchange.name];
          const answer = await send(t, exchange, bindings, authorization);
          const problems = check(exchange, answer, bindings, deviation);
          for (const p of problems) failures.push(`${exchange.name}: ${p.path}: ${p.problem}`);
        }
        expect(failures).toEqual([]);
      });

      it('lists only deviations that name recorded exchanges, each with a reason', () => {
        const names = new Set(exchanges.map((e) => e.name));
        for (const [name, deviation] of Object.entries({
          ...DEVIATIONS[file],
          ...SIGNED_IN_DEVIATIONS[file],
        })) {
          expect(names.has(name) ? name : `unknown exchange ${name}`).toBe(name);
          expect(deviation.reason.length).toBeGreaterThan(20);
        }
      });
    });
  });
});
