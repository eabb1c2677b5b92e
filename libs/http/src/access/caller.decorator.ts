import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { MlflowError, Principal } from '@app/domain';

const CALLER = Symbol('caller');

export function setCaller(request: FastifyRequest, caller: Principal): void {
  (request as unknown as Record<symbol, Principal>)[CALLER] = caller;
}

export function callerOf(request: FastifyRequest): Principal {
  const caller = (request as unknown as Record<symbol, Principal | undefined>)[CALLER];
  // Only a public route has no caller, and a public route has no business asking for one.
  if (!caller) throw MlflowError.permissionDenied('Permission denied.');
  return caller;
}

/** The authenticated caller, as the access guard verified it. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  callerOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);

/** The caller when the access guard has verified one (for the access log); else undefined. */
export function signedInCaller(request: FastifyRequest): Principal | undefined {
  return (request as unknown as Record<symbol, Principal | undefined>)[CALLER];
}
