import { AccessNeed } from './permissions';

/**
 * Where a route finds the resource it acts on: a field of its MLflow request message (query of a
 * GET, JSON body otherwise), or the artifact path in its URL.
 */
export type ResourceRef =
  | { readonly kind: 'experiment'; readonly field: string }
  | { readonly kind: 'experiment-name'; readonly field: string }
  | { readonly kind: 'experiments'; readonly field: string; readonly optional?: boolean }
  /** A FLOps project by its experiment id: decided as the experiment, answered as the project. */
  | { readonly kind: 'project'; readonly field: string }
  /** Every project of a list field. */
  | { readonly kind: 'projects'; readonly field: string }
  | { readonly kind: 'run'; readonly field: string; readonly optional?: boolean }
  | { readonly kind: 'runs'; readonly field: string }
  | { readonly kind: 'logged-model'; readonly field: string; readonly optional?: boolean }
  /** Every `model_id` of a list of objects (log-inputs' and outputs' `models`). */
  | { readonly kind: 'logged-models'; readonly field: string }
  /** A trace, by its MLflow 2.x `request_id` or 3.x `trace_id`, through its experiment. */
  | { readonly kind: 'trace'; readonly field: string }
  /** Every trace id of a list field (delete-traces' `request_ids`, link-to-run's `trace_ids`). */
  | { readonly kind: 'traces'; readonly field: string }
  | { readonly kind: 'registered-model'; readonly field: string }
  | { readonly kind: 'model-source'; readonly field: string }
  | { readonly kind: 'artifact-path'; readonly field?: string };

export interface ResourceCheck {
  readonly resource: ResourceRef;
  readonly need: AccessNeed;
}

/**
 * The access rule of one route, declared beside it. A route with none is refused (403) and an app
 * with such a route does not boot.
 *
 * - `public`: no credential needed (`/health`, the API docs).
 * - `signed-in`: any authenticated caller; the handler itself narrows what it returns (searches
 *   filter in SQL) or creates something the caller then owns.
 * - `admin`: administrators only.
 * - `self`: the user named by `field`, or an admin (MLflow's `users/get`, `update-password`).
 * - `resources`: every listed check must pass for the resources the request names.
 *
 * `aggregator: true` lets a scoped token use the route inside its one project; any other route is
 * refused to scoped tokens.
 */
export type AccessPolicy =
  | { readonly kind: 'public' }
  | { readonly kind: 'signed-in'; readonly aggregator?: boolean }
  | { readonly kind: 'admin' }
  | { readonly kind: 'self'; readonly field: string }
  | {
      readonly kind: 'resources';
      readonly checks: readonly ResourceCheck[];
      readonly aggregator?: boolean;
    };
