import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DynamicModule } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';

import { signedInCaller } from './access/caller.decorator';

export const REQUEST_ID_HEADER = 'X-Request-Id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is a sane token, else a new UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

const FASTIFY_REQUEST = Symbol('fastifyRequest');
const FASTIFY_REPLY = Symbol('fastifyReply');

interface RawRequest extends IncomingMessage {
  [FASTIFY_REQUEST]?: FastifyRequest;
  [FASTIFY_REPLY]?: FastifyReply;
}

/**
 * Lets the access line, written from the raw request, read the route, the caller and the reply's
 * headers (Fastify hands them to `writeHead`, so the raw response cannot tell them).
 */
export function linkRawRequest(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw as RawRequest;
  raw.id = request.id;
  raw[FASTIFY_REQUEST] = request;
  raw[FASTIFY_REPLY] = reply;
}

function byteCount(value: number | string | string[] | undefined): number | undefined {
  if (value === undefined || Array.isArray(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The access line's fields: no URL (its query may hold a token, its path is the route's), no
 * headers, no body. Bytes are the declared lengths (a chunked body has none).
 */
function accessFields(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  const request = (req as RawRequest)[FASTIFY_REQUEST];
  const reply = (req as RawRequest)[FASTIFY_REPLY];
  return {
    method: req.method,
    route: request?.routeOptions.url ?? null,
    status: res.statusCode,
    duration_ms: durationMs,
    bytes_in: byteCount(req.headers['content-length']),
    bytes_out: byteCount(reply?.getHeader('content-length') ?? res.getHeader('content-length')),
    user: request === undefined ? undefined : signedInCaller(request)?.username,
  };
}

/**
 * One access line per request (nestjs-pino's pino-http middleware), at `info`, `warn` for a 5xx
 * (the filter logs its cause), carrying the request id Fastify assigned.
 */
export function requestLoggingModule(logger: Pino): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger,
      // Fastify assigned it (createFastifyAdapter); linkRawRequest copied it here.
      genReqId: (req) => req.id,
      customAttributeKeys: { reqId: 'request_id' },
      quietReqLogger: true,
      quietResLogger: true,
      wrapSerializers: false,
      serializers: { req: () => undefined },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
      customSuccessMessage: (_req, res) =>
        res.writableEnded ? 'request completed' : 'request aborted',
      customErrorMessage: (_req, res) =>
        res.writableEnded ? 'request completed' : 'request aborted',
      customSuccessObject: (req, res, value: { responseTime: number }) =>
        accessFields(req, res, value.responseTime),
      customErrorObject: (req, res, _error, value: { responseTime: number }) =>
        accessFields(req, res, value.responseTime),
    },
  });
}
