import type { IncomingMessage } from 'node:http';

import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';

import type { HttpSettings } from '@app/config';
import { ArtifactStore } from '@app/domain';

import { withCallerAuthorization } from './caller-authorization';
import { toJsonText } from './json-text';
import { ServiceMetrics } from './operations';
import { installAccessLog, REQUEST_ID_HEADER, requestIdFor } from './request-logging';
import { setupSwagger } from './swagger';

/** Largest JSON request body accepted (MLflow documents 1 MB for log-batch; model_json and
 * dataset profiles can be larger). Artifact uploads are streamed and not subject to it. */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

/** HTTP settings when the environment gives none (JSON_BODY_LIMIT_BYTES, TRUST_PROXY, CORS_ORIGINS). */
export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  bodyLimit: MAX_JSON_BODY_BYTES,
  trustProxy: false,
  corsOrigins: [],
};

export interface StreamingRoutes {
  /** Requests whose body is an artifact stream that the handler reads from `request.raw`. */
  isStreamingUpload(method: string, url: string): boolean;
}

const ARTIFACT_UPLOAD = /^\/(ajax-)?api\/2\.0\/mlflow-artifacts\/artifacts\//;
const UI_UPLOAD = /^\/ajax-api\/2\.0\/mlflow\/upload-artifact(\?|$)/;
const ARTIFACT_ROUTE = /^\/(ajax-)?api\/2\.0\/mlflow-artifacts\//;

export const DEFAULT_STREAMING_ROUTES: StreamingRoutes = {
  isStreamingUpload: (method, url) =>
    (method === 'PUT' && ARTIFACT_UPLOAD.test(url)) || (method === 'POST' && UI_UPLOAD.test(url)),
};

export interface ServedRoute {
  method: string;
  url: string;
}

const ROUTES = new WeakMap<INestApplication, ServedRoute[]>();

/**
 * Every route the app's router serves (Nest's controllers, /health, the API docs), as Fastify
 * registered them: what the tenancy matrix walks, so no route can be left out of it.
 */
export function servedRoutes(app: INestApplication): ServedRoute[] {
  return [...(ROUTES.get(app) ?? [])];
}

// An artifact route up to where its path begins, whatever slashes separate its parts.
const ARTIFACT_ROUTE_HEAD =
  /^\/+(?:ajax-)?api\/+2\.0\/+mlflow-artifacts\/+(?:artifacts|mpu\/+\w+)(?=\/|$)/;

/**
 * `//a///b?x=//y` → `/a/b?x=//y`: the path part only; encoded slashes (`%2F`) are left alone. An
 * artifact path is the client's own and stays as sent (`…/artifacts//etc/passwd` is an absolute
 * path, refused, not the relative `etc/passwd`); only the route before it is merged.
 */
export function mergeRepeatedSlashes(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  if (!path.includes('//')) return url;
  const rest = query < 0 ? '' : url.slice(query);
  const head = ARTIFACT_ROUTE_HEAD.exec(path)?.[0];
  if (head !== undefined) return head.replace(/\/{2,}/g, '/') + path.slice(head.length) + rest;
  return path.replace(/\/{2,}/g, '/') + rest;
}

export function createFastifyAdapter(
  settings: HttpSettings = DEFAULT_HTTP_SETTINGS,
): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: settings.bodyLimit,
    trustProxy: settings.trustProxy,
    // The caller's id when sane (it ties our lines to theirs), else a new one.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => requestIdFor(request.headers['x-request-id']),
    // Artifact paths can be long; MLflow accepts them.
    routerOptions: { maxParamLength: 4096, ignoreTrailingSlash: false },
    // MLflow (werkzeug) merges repeated slashes before routing (`//model-versions/get-artifact`);
    // rewriting the URL itself keeps every later reader of `req.url` (the raw artifact path, the
    // audit, the logs) consistent with the route that matched.
    rewriteUrl: (request: { url?: string }) => mergeRepeatedSlashes(request.url ?? '/'),
    // A URL whose percent-encoding is not UTF-8 (`%c0%ae`) fails before routing, so before the
    // exception filter: answer it in MLflow's shape, without echoing the URL.
    frameworkErrors: (_error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply
        .status(400)
        .header('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            error_code: 'INVALID_PARAMETER_VALUE',
            message: ARTIFACT_ROUTE.test(request.url) ? 'Invalid path' : 'Invalid URL.',
          }),
        );
    },
  });
}

/**
 * Everything an MLflow-compatible app needs from the HTTP layer, shared by every main.ts and every
 * e2e test: bodies kept as raw text for the lenient MLflow reader (any content type: the
 * Content-Type rule is MLflow's, checked per RPC), artifact uploads left unread for streaming,
 * GET bodies read when there is no query string, `nosniff` on every response, and Swagger.
 */
export function configureMlflowApp(
  app: INestApplication,
  title: string,
  /** The base URL OpenAPI's `servers` names; relative (`/`) when unknown. */
  serverUrl?: string,
  settings: HttpSettings = DEFAULT_HTTP_SETTINGS,
  /** Where the access lines go; none when absent (tests that build apps themselves). */
  accessLog?: Pino,
): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  if (accessLog) installAccessLog(fastify, accessLog);
  if (settings.corsOrigins.length > 0) allowCrossOrigin(fastify, settings.corsOrigins);
  const routes: ServedRoute[] = [];
  ROUTES.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  serviceMetricsOf(app)?.install(fastify);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload, done) => {
    if (DEFAULT_STREAMING_ROUTES.isStreamingUpload(request.method, request.url)) {
      done(null, undefined);
      return;
    }
    readText(payload, settings.bodyLimit).then(
      (text) => done(null, text),
      (error: Error) => done(error, undefined),
    );
  });
  fastify.addHook('preHandler', async (request: FastifyRequest) => {
    const hasBody =
      request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0';
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      hasBody &&
      !request.url.includes('?')
    ) {
      (request as { body: unknown }).body = await readText(request.raw, settings.bodyLimit);
    }
  });
  // Registered after the body reader, so the handler runs inside it.
  if (forwardsCaller(app)) {
    fastify.addHook('preHandler', (request, _reply, done) =>
      withCallerAuthorization(request.headers.authorization, done),
    );
  }
  fastify.setReplySerializer(toJsonText);
  fastify.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    return payload;
  });
  setupSwagger(app, title, serverUrl);
}

/** Whether the app's artifact store reaches the bytes through the proxy on the caller's behalf. */
function forwardsCaller(app: INestApplication): boolean {
  try {
    return app.get(ArtifactStore, { strict: false }).forwardsCaller;
  } catch {
    return false;
  }
}

/** The app's metrics, unless METRICS_ENABLED is false. */
function serviceMetricsOf(app: INestApplication): ServiceMetrics | undefined {
  try {
    return app.get(ServiceMetrics, { strict: false });
  } catch {
    return undefined;
  }
}

const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'Authorization, Content-Type, X-Request-Id';

/**
 * CORS for the listed origins only (a browser UI served elsewhere): their requests get
 * `Access-Control-Allow-Origin`, their preflights a 204; other origins get no CORS headers, so
 * browsers keep refusing them. Credentials travel in `Authorization`, never cookies.
 */
function allowCrossOrigin(fastify: FastifyInstance, origins: string[]): void {
  const any = origins.includes('*');
  fastify.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || (!any && !origins.includes(origin))) return;
    void reply.header('Access-Control-Allow-Origin', any ? '*' : origin);
    void reply.header('Vary', 'Origin');
    void reply.header('Access-Control-Expose-Headers', `${REQUEST_ID_HEADER}, Retry-After`);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      void reply.header('Access-Control-Allow-Methods', CORS_METHODS);
      void reply.header('Access-Control-Allow-Headers', CORS_HEADERS);
      void reply.header('Access-Control-Max-Age', '600');
      return reply.code(204).send();
    }
  });
}

function readText(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        const error = Object.assign(new Error('Request body is too large.'), {
          statusCode: 413,
          code: 'FST_ERR_CTP_BODY_TOO_LARGE',
        });
        reject(error);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
