import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

import { AccessNeed, AccessPolicy, ResourceCheck, ResourceRef } from '@app/domain';

export const ACCESS_POLICY = 'mlflow:access-policy';

/** The OpenAPI security scheme names every protected operation lists (openapi-document.ts). */
export const SECURITY_SCHEMES = ['basic', 'bearer'] as const;

function declare(policy: AccessPolicy): MethodDecorator & ClassDecorator {
  if (policy.kind === 'public') return SetMetadata(ACCESS_POLICY, policy);
  // Either scheme alone is enough: two entries in `security` (one each), not one with both.
  return applyDecorators(
    SetMetadata(ACCESS_POLICY, policy),
    ...SECURITY_SCHEMES.map((scheme) => ApiSecurity(scheme)),
  );
}

/**
 * The access rule of a route, declared on the handler. The guard refuses routes without one, and
 * an app with such a route does not start. For resources the caller may not even read, the
 * answer is the route's own "not found", so foreign and missing resources look alike.
 */
export const Access = {
  /** No credential needed. */
  public: () => declare({ kind: 'public' }),
  /** Any signed-in caller; the handler narrows the result to what the caller may read. */
  signedIn: (options: { aggregator?: boolean } = {}) => declare({ kind: 'signed-in', ...options }),
  admin: () => declare({ kind: 'admin' }),
  /** The user named by `field`, or an admin. */
  self: (field = 'username') => declare({ kind: 'self', field }),
  /** Every check must pass; `aggregator` opens the route to scoped tokens in their project. */
  to: (checks: ResourceCheck[], options: { aggregator?: boolean } = {}) =>
    declare({ kind: 'resources', checks, ...options }),
};

function check(need: AccessNeed, resource: ResourceRef): ResourceCheck {
  return { need, resource };
}

/** The experiment (FLOps project) named by a request field. */
export const experiment = (need: AccessNeed, field = 'experiment_id') =>
  check(need, { kind: 'experiment', field });
export const experimentByName = (need: AccessNeed, field = 'experiment_name') =>
  check(need, { kind: 'experiment-name', field });
/** Every experiment of a list field (an absent list checks nothing). */
export const experiments = (need: AccessNeed, field = 'experiment_ids') =>
  check(need, { kind: 'experiments', field });
/** A FLOps project, by its experiment id (`projects/{experiment_id}`). */
export const project = (need: AccessNeed, field = 'experiment_id') =>
  check(need, { kind: 'project', field });
/** Every FLOps project of a list field. */
export const projects = (need: AccessNeed, field = 'projects') =>
  check(need, { kind: 'projects', field });
/** The run (training round) named by a field, through its experiment. */
export const run = (need: AccessNeed, field = 'run_id', optional = false) =>
  check(need, { kind: 'run', field, optional });
export const runs = (need: AccessNeed, field = 'run_ids') => check(need, { kind: 'runs', field });
export const loggedModel = (need: AccessNeed, field = 'model_id') =>
  check(need, { kind: 'logged-model', field });
/** Every logged model a list field names (`models: [{model_id}]`). */
export const loggedModels = (need: AccessNeed, field = 'models') =>
  check(need, { kind: 'logged-models', field });
/** The trace (MLflow 2.x `request_id`, 3.x `trace_id`) named by a field, through its experiment. */
export const trace = (need: AccessNeed, field = 'request_id') =>
  check(need, { kind: 'trace', field });
/** Every trace of a list field. */
export const traces = (need: AccessNeed, field = 'request_ids') =>
  check(need, { kind: 'traces', field });
export const registeredModel = (need: AccessNeed, field = 'name') =>
  check(need, { kind: 'registered-model', field });
/** A model version's `source`: a run or artifact path the caller must be able to read. */
export const modelSource = (need: AccessNeed, field = 'source') =>
  check(need, { kind: 'model-source', field });
/** The proxy path of the URL (`…/artifacts/<path>`), or of a request field. */
export const artifactPath = (need: AccessNeed, field?: string) =>
  check(need, { kind: 'artifact-path', field });
