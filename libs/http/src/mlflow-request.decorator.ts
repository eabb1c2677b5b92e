import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readMlflowRequest } from './request-normalizer';

/**
 * The request message of an MLflow RPC: the query of a GET, the JSON body otherwise (see
 * `readMlflowRequest`). The global validation pipe then turns it into the handler's DTO.
 */
export const MlflowRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return readMlflowRequest({
    method: request.method,
    headers: request.headers,
    query: (request.query ?? {}) as Record<string, unknown>,
    body: request.body,
    hasQueryString: request.url.includes('?'),
  });
});
