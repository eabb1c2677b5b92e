import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import { AuthSettings } from '@app/config';
import {
  AccessNeed,
  artifactPathScope,
  experimentNameNotFound,
  experimentNotFound,
  flopsProjectNotFound,
  IdentityStore,
  loggedModelNotFound,
  MlflowError,
  Permission,
  permits,
  Principal,
  registeredModelNotFound,
  ResolvedExperiment,
  runNotFound,
  traceNotFound,
  validateProjectKey,
  validateRunId,
  weakerPermission,
} from '@app/domain';

import { AUTH_SETTINGS } from './auth-settings.token';

/** A scoped (aggregator) token writes rounds; it never deletes or manages anything. */
const SCOPED_TOKEN_CEILING: Permission = 'EDIT';

function denied(): MlflowError {
  return MlflowError.permissionDenied('Permission denied.');
}

/**
 * Whether a caller may act on one resource. A resource the caller may not even read is answered
 * with that resource's own "not found" (no oracle for what others own); one it can read but not
 * change is PERMISSION_DENIED. Admins with an unscoped credential pass every check. Used by the
 * access guard for what a request names, and by services for what a request references
 * indirectly (a model version's source).
 */
@Injectable()
export class AccessChecker {
  /** run or logged model id → its experiment: fixed at creation, so kept until evicted. */
  private readonly experimentOf = new LRUCache<string, string>({ max: 100_000 });
  /**
   * `<user>:<experiment>` → level, for a short time (AUTH_CACHE_TTL_SECONDS): the hot write
   * paths (log-metric, log-batch) then pay no lookup. A grant change on this instance clears it;
   * other instances see it within the TTL, as they do a revoked credential.
   */
  private readonly levels: LRUCache<string, { permission: Permission }> | null;

  constructor(
    private readonly identity: IdentityStore,
    @Inject(AUTH_SETTINGS) settings: AuthSettings,
  ) {
    this.levels =
      settings.credentialCacheTtlMs > 0
        ? new LRUCache({ max: 100_000, ttl: settings.credentialCacheTtlMs })
        : null;
  }

  /** After any grant or user change made through this instance. */
  forgetPermissions(): void {
    this.levels?.clear();
  }

  async experiment(caller: Principal, experimentId: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    const resolved = await this.identity.resolveExperiment(experimentId, caller.userId);
    this.decide(caller, resolved, need, () => experimentNotFound(experimentId));
  }

  /** A FLOps project is its experiment; a foreign one is answered as a missing project. */
  async project(caller: Principal, experimentId: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    validateProjectKey(experimentId);
    const resolved = await this.identity.resolveExperiment(experimentId, caller.userId);
    this.decide(caller, resolved, need, () => flopsProjectNotFound(experimentId));
  }

  async experimentByName(caller: Principal, name: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    const resolved = await this.identity.resolveExperimentByName(name, caller.userId);
    this.decide(caller, resolved, need, () => experimentNameNotFound(name));
  }

  async run(caller: Principal, runId: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    // A malformed id is the request's fault (400), as the route itself would answer.
    validateRunId(runId);
    const resolved =
      this.known(`run:${runId}`, caller) ?? (await this.identity.resolveRun(runId, caller.userId));
    this.remember(`run:${runId}`, caller, resolved);
    this.decide(caller, resolved, need, () => runNotFound(runId));
  }

  async loggedModel(caller: Principal, modelId: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    const resolved =
      this.known(`model:${modelId}`, caller) ??
      (await this.identity.resolveLoggedModel(modelId, caller.userId));
    this.remember(`model:${modelId}`, caller, resolved);
    this.decide(caller, resolved, need, () => loggedModelNotFound(modelId));
  }

  /**
   * Not cached like runs: a 3.x trace id is the client's choice, and once deleted it may name a
   * trace of another experiment.
   */
  async trace(caller: Principal, requestId: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    const resolved = await this.identity.resolveTrace(requestId, caller.userId);
    this.decide(caller, resolved, need, () => traceNotFound(requestId));
  }

  async registeredModel(caller: Principal, name: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    // The registry is outside every project: scoped tokens never reach it.
    if (caller.scope) throw registeredModelNotFound(name);
    const resolved = await this.identity.resolveRegisteredModel(name, caller.userId);
    if (!resolved || !permits(resolved.permission, 'read')) throw registeredModelNotFound(name);
    if (!permits(resolved.permission, need)) throw denied();
  }

  /**
   * A proxy path. One that names a run, logged model or trace (`<experiment>/<run>/artifacts/…`)
   * is decided by the experiment it starts with (the proxy checks afterwards that the entity lies
   * in that experiment); any other path is in the caller's own namespace
   * ({@link freeArtifactLocation}), which a scoped token never reaches. The path is
   * canonicalised first: a bad one is 400 before anything is looked up.
   */
  async artifactPath(caller: Principal, rawPath: string, need: AccessNeed): Promise<void> {
    if (unrestricted(caller)) return;
    const scope = artifactPathScope(rawPath);
    if (scope.kind === 'free') {
      if (caller.scope) throw denied();
      return;
    }
    const resolved = await this.identity.resolveExperiment(scope.experimentId, caller.userId);
    this.decide(caller, resolved, need, () => {
      switch (scope.kind) {
        case 'run':
          return runNotFound(scope.runId);
        case 'logged-model':
          return loggedModelNotFound(scope.modelId);
        case 'trace':
          return traceNotFound(scope.traceId);
      }
    });
  }

  /** The cached experiment and level of an entity, when both are known. */
  private known(entity: string, caller: Principal): ResolvedExperiment | null {
    const experimentId = this.experimentOf.get(entity);
    if (experimentId === undefined) return null;
    const level = this.levels?.get(`${caller.userId}:${experimentId}`);
    return level ? { experimentId, permission: level.permission } : null;
  }

  /** Only what exists is kept: a missing run may be created the next moment. */
  private remember(entity: string, caller: Principal, resolved: ResolvedExperiment | null): void {
    if (!resolved) return;
    this.experimentOf.set(entity, resolved.experimentId);
    this.levels?.set(`${caller.userId}:${resolved.experimentId}`, {
      permission: resolved.permission,
    });
  }

  private decide(
    caller: Principal,
    resolved: ResolvedExperiment | null,
    need: AccessNeed,
    notFound: () => MlflowError,
  ): void {
    if (!resolved) throw notFound();
    // An admin's scoped token still reaches only its project, with no grant row needed there.
    let permission: Permission = caller.isAdmin ? 'MANAGE' : resolved.permission;
    if (caller.scope) {
      permission =
        caller.scope.experimentId === resolved.experimentId
          ? weakerPermission(permission, SCOPED_TOKEN_CEILING)
          : 'NO_PERMISSIONS';
    }
    if (!permits(permission, 'read')) throw notFound();
    if (!permits(permission, need)) throw denied();
  }
}

function unrestricted(caller: Principal): boolean {
  return caller.isAdmin && !caller.scope;
}
