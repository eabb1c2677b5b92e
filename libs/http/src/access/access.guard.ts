import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import {
  AccessPolicy,
  missingParameterError,
  MlflowError,
  Principal,
  ResourceCheck,
} from '@app/domain';

import {
  Dto,
  keepValidatedRequest,
  MLFLOW_REQUEST_DTO,
  rawMlflowRequest,
} from '../mlflow-request.decorator';
import { MlflowValidationPipe } from '../mlflow-validation.pipe';
import { rawArtifactPath } from '../routes';
import { ACCESS_POLICY } from './access.decorator';
import { AccessChecker } from './access-checker';
import { Authenticator } from './authenticator';
import { setCaller } from './caller.decorator';

/** MLflow 3.10+ names a workspace per request; this deployment has none (reference §11). */
const WORKSPACE_HEADER = 'x-mlflow-workspace';

/**
 * The one gate of every route of every service: authenticate (401), refuse a route without a
 * declared policy (403), validate the request message (400, before any lookup), then check what
 * it names against the policy. Runs before every handler, including the ajax mirror and the
 * artifact proxy's streaming routes.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly pipe = new MlflowValidationPipe();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly checker: AccessChecker,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw MlflowError.permissionDenied('This route declares no access policy.');
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const caller = await this.authenticator.authenticate(request);
    setCaller(request, caller);
    const workspace = request.headers[WORKSPACE_HEADER];
    if (typeof workspace === 'string' && workspace !== '') {
      throw new MlflowError(
        'FEATURE_DISABLED',
        'Workspaces are not enabled on this server: send no X-MLFLOW-WORKSPACE header.',
      );
    }
    const aggregator =
      policy.kind === 'signed-in' || policy.kind === 'resources' ? policy.aggregator : false;
    if (caller.scope && !aggregator) {
      throw MlflowError.permissionDenied('A project-scoped token cannot use this route.');
    }
    if (policy.kind === 'signed-in') return true;
    if (policy.kind === 'admin') {
      if (!caller.isAdmin || caller.scope) throw MlflowError.permissionDenied('Permission denied.');
      return true;
    }

    const fields = await this.validatedFields(context, request);
    if (policy.kind === 'self') {
      const username = fields[policy.field];
      if (caller.isAdmin || username === caller.username) return true;
      throw MlflowError.permissionDenied('Permission denied.');
    }
    for (const check of policy.checks) {
      await this.check(caller, check, fields, request);
    }
    return true;
  }

  /**
   * The request's fields: the handler's DTO, validated once here and handed to the handler as is
   * (a route without one, a streaming upload, offers its query string), with the URL's path
   * parameters on top, since those are what the handler acts on.
   */
  private async validatedFields(
    context: ExecutionContext,
    request: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    const dtoType = Reflect.getMetadata(MLFLOW_REQUEST_DTO, context.getHandler()) as
      Dto | undefined;
    let fields: Record<string, unknown>;
    if (dtoType) {
      const dto = (await this.pipe.transform(rawMlflowRequest(request), {
        type: 'custom',
        metatype: dtoType,
      })) as Record<string, unknown>;
      keepValidatedRequest(request, dto);
      fields = dto;
    } else {
      fields = { ...((request.query ?? {}) as Record<string, unknown>) };
    }
    const { '*': _wildcard, ...params } = (request.params ?? {}) as Record<string, unknown>;
    return { ...fields, ...params };
  }

  private async check(
    caller: Principal,
    { resource, need }: ResourceCheck,
    fields: Record<string, unknown>,
    request: FastifyRequest,
  ): Promise<void> {
    switch (resource.kind) {
      case 'experiment':
        return this.checker.experiment(caller, requiredText(fields, resource.field), need);
      case 'experiment-name':
        return this.checker.experimentByName(caller, requiredText(fields, resource.field), need);
      case 'experiments':
        for (const id of textList(fields, resource.field)) {
          await this.checker.experiment(caller, id, need);
        }
        return;
      case 'project':
        return this.checker.project(caller, requiredText(fields, resource.field), need);
      case 'projects':
        for (const id of textList(fields, resource.field)) {
          await this.checker.project(caller, id, need);
        }
        return;
      case 'run': {
        const runId = fields[resource.field];
        if (resource.optional && (runId === undefined || runId === '')) return;
        return this.checker.run(caller, requiredText(fields, resource.field), need);
      }
      case 'runs':
        for (const id of textList(fields, resource.field)) await this.checker.run(caller, id, need);
        return;
      case 'logged-model':
        return this.checker.loggedModel(caller, requiredText(fields, resource.field), need);
      case 'logged-models':
        for (const id of modelIds(fields, resource.field)) {
          await this.checker.loggedModel(caller, id, need);
        }
        return;
      case 'trace':
        return this.checker.trace(caller, requiredText(fields, resource.field), need);
      case 'traces':
        for (const id of new Set(textList(fields, resource.field))) {
          await this.checker.trace(caller, id, need);
        }
        return;
      case 'registered-model':
        return this.checker.registeredModel(caller, requiredText(fields, resource.field), need);
      case 'model-source':
        // Resolved by the registry's source resolver, which checks every id the source names.
        return;
      case 'artifact-path': {
        const path =
          resource.field === undefined ? rawArtifactPath(request.url) : fields[resource.field];
        return this.checker.artifactPath(caller, typeof path === 'string' ? path : '', need);
      }
    }
  }
}

/**
 * A field the DTO requires; a DTO that lets it be absent is a declaration bug, refused. A dotted
 * field names one inside nested messages (StartTraceV3's
 * `trace.trace_info.trace_location.mlflow_experiment.experiment_id`).
 */
function requiredText(fields: Record<string, unknown>, field: string): string {
  let value: unknown = fields;
  for (const name of field.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[name]
        : undefined;
  }
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw missingParameterError(field);
}

function modelIds(fields: Record<string, unknown>, field: string): string[] {
  const value = fields[field];
  if (!Array.isArray(value)) return [];
  const ids = value.map((item) => (item as { model_id?: unknown } | null)?.model_id);
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

function textList(fields: Record<string, unknown>, field: string): string[] {
  const value = fields[field];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => String(item));
}
