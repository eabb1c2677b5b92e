import { createParamDecorator, ExecutionContext, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { readMlflowRequest } from './request-normalizer';

export type Dto = new (...args: never[]) => unknown;

/** The handler's request DTO class, for the access guard, which validates before it checks. */
export const MLFLOW_REQUEST_DTO = 'mlflow:request-dto';

const VALIDATED_REQUEST = Symbol('validated MLflow request');

/** The request message as the client sent it (before validation). */
export function rawMlflowRequest(request: FastifyRequest): unknown {
  return readMlflowRequest({
    method: request.method,
    headers: request.headers,
    query: (request.query ?? {}) as Record<string, unknown>,
    body: request.body,
    hasQueryString: request.url.includes('?'),
  });
}

/** Keeps the DTO the access guard validated, so the handler gets it without a second pass. */
export function keepValidatedRequest(request: FastifyRequest, dto: object): void {
  (request as unknown as Record<symbol, object>)[VALIDATED_REQUEST] = dto;
  VALIDATED_DTOS.add(dto);
}

export function validatedRequestOf(request: FastifyRequest): object | undefined {
  return (request as unknown as Record<symbol, object | undefined>)[VALIDATED_REQUEST];
}

/** DTO instances that already passed the validation pipe. */
export const VALIDATED_DTOS = new WeakSet<object>();

/**
 * The request message of an MLflow RPC: the query of a GET, the JSON body otherwise (see
 * `readMlflowRequest`). The global validation pipe then turns it into the handler's DTO, and the
 * DTO is documented in OpenAPI as the query parameters (GET) or the JSON body (other methods).
 */
export const MlflowRequest = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    return validatedRequestOf(request) ?? rawMlflowRequest(request);
  },
  [
    (target: object, key: string | symbol | undefined, index: number) => {
      if (key === undefined) return;
      const dto = (Reflect.getMetadata('design:paramtypes', target, key) as Dto[] | undefined)?.[
        index
      ];
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (!dto || !descriptor) return;
      Reflect.defineMetadata(MLFLOW_REQUEST_DTO, dto, descriptor.value as object);
      // Parameter decorators run before the route decorator (@Get/@Post) of the same method, so the
      // HTTP method is only known once the class is fully decorated.
      queueMicrotask(() => documentRequest(target, key, descriptor, dto));
    },
  ],
);

function documentRequest(
  target: object,
  key: string | symbol,
  descriptor: PropertyDescriptor,
  dto: Dto,
): void {
  const method = Reflect.getMetadata(METHOD_METADATA, descriptor.value as object) as
    RequestMethod | undefined;
  if (method !== RequestMethod.GET) {
    ApiBody({ type: dto })(target, key, descriptor);
    return;
  }
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype as object) ??
    []) as string[];
  for (const name of names.map((n) => n.replace(/^:/, ''))) {
    const property = (Reflect.getMetadata(
      'swagger/apiModelProperties',
      dto.prototype as object,
      name,
    ) ?? {}) as Record<string, unknown>;
    ApiQuery({
      name,
      required: property.required === true,
      description: property.description as string | undefined,
      example: property.example,
      isArray: property.isArray === true,
      ...(property.enum
        ? { enum: property.enum as string[] }
        : { type: (property.type as never) ?? String }),
    })(target, key, descriptor);
  }
}
