import {
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';

import {
  artifactPathScope,
  AuditResourceType,
  IdentityStore,
  NewAuditEvent,
  Principal,
} from '@app/domain';

import { rawMlflowRequest, validatedRequestOf } from '../mlflow-request.decorator';
import { rawArtifactPath } from '../routes';
import { callerOf } from './caller.decorator';

const AUDIT_SPEC = 'mlflow:audit';

/** What an audited route did, and where its target's id is: a request field or the response. */
export interface AuditSpec {
  readonly action: string;
  readonly resource: 'experiment' | 'run' | 'registered-model' | 'artifact-path';
  /** The request field naming the target; absent: read `responsePath` of the answer. */
  readonly field?: string;
  readonly responsePath?: readonly string[];
  /** Request fields worth keeping with the event (a new name, a stage, a file path). */
  readonly detail?: readonly string[];
}

/**
 * Records the route's successful calls in the audit log (who, when, from where, on what), readable
 * by admins and by the owners of the resource (`audit/search`). A failed call records nothing.
 */
export const Audited = (spec: AuditSpec) => SetMetadata(AUDIT_SPEC, spec);

interface Target {
  resourceType: AuditResourceType;
  resourceId: string;
  experimentId: string | null;
  registeredModelId: number | null;
}

/**
 * The audit log's writer. The target is resolved before the handler runs (a deleted model has no
 * id afterwards) and the event written after it succeeded; a failure to write is logged, never
 * turned into a failed request that already took effect.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_SPEC, context.getHandler());
    if (!spec) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return from(this.run(spec, request, next));
  }

  private async run(spec: AuditSpec, request: FastifyRequest, next: CallHandler): Promise<unknown> {
    const caller = callerOf(request);
    const fields = requestFields(request);
    const before =
      spec.field === undefined
        ? null
        : await this.target(spec, text(fields[spec.field]), request, caller);
    const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    try {
      const target =
        before ?? (await this.target(spec, text(pick(result, spec.responsePath)), request, caller));
      // The same shape as the access API's events: a JSON object of the fields kept.
      const kept = (spec.detail ?? []).filter((name) => fields[name] !== undefined);
      const detail = kept.length
        ? JSON.stringify(Object.fromEntries(kept.map((name) => [name, text(fields[name])])))
        : '';
      const event: NewAuditEvent = {
        time: Date.now(),
        username: caller.username,
        clientAddress: request.ip,
        action: spec.action,
        ...target,
        detail: detail === '' || detail.length > 4000 ? null : detail,
      };
      await this.identity.recordAudit(event);
    } catch (error) {
      this.logger.warn(`Could not record ${spec.action}: ${String(error)}`);
    }
    return result;
  }

  private async target(
    spec: AuditSpec,
    id: string,
    request: FastifyRequest,
    caller: Principal,
  ): Promise<Target> {
    switch (spec.resource) {
      case 'experiment':
        return {
          resourceType: 'experiment',
          resourceId: id,
          experimentId: id,
          registeredModelId: null,
        };
      case 'run': {
        const run = await this.identity.resolveRun(id, caller.userId);
        return {
          resourceType: 'run',
          resourceId: id,
          experimentId: run?.experimentId ?? null,
          registeredModelId: null,
        };
      }
      case 'registered-model': {
        const model = await this.identity.resolveRegisteredModel(id, caller.userId);
        return {
          resourceType: 'registered_model',
          resourceId: id,
          experimentId: null,
          registeredModelId: model?.registeredModelId ?? null,
        };
      }
      case 'artifact-path': {
        const scope = artifactPathScope(rawArtifactPath(request.url));
        return {
          resourceType: 'artifact',
          resourceId: scope.path,
          experimentId: scope.kind === 'free' ? null : scope.experimentId,
          registeredModelId: null,
        };
      }
    }
  }
}

function requestFields(request: FastifyRequest): Record<string, unknown> {
  const validated = validatedRequestOf(request) as Record<string, unknown> | undefined;
  const raw = validated ?? rawMlflowRequest(request);
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
}

/** A request field or response value as audit text (ids, names, stages are scalars). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return '';
}

function pick(value: unknown, path: readonly string[] | undefined): unknown {
  let current = value;
  for (const key of path ?? []) {
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[key]
        : undefined;
  }
  return current;
}
