import { ErrorCode } from '@app/domain';

/**
 * MLflow's `ERROR_CODE_TO_HTTP_STATUS`, completed for every code (unlisted codes are 500 upstream),
 * except that the codes of deterministic client errors (a state or a request that will not change
 * on retry) are 400 where MLflow says 500: the MLflow client retries 5xx for minutes.
 */
export const ERROR_CODE_TO_HTTP_STATUS: Record<ErrorCode, number> = {
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
  IO_ERROR: 500,
  BAD_REQUEST: 400,
  CANCELLED: 499,
  DEADLINE_EXCEEDED: 504,
  ABORTED: 409,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  UNAUTHENTICATED: 401,
  RESOURCE_EXHAUSTED: 429,
  INVALID_PARAMETER_VALUE: 400,
  ENDPOINT_NOT_FOUND: 404,
  MALFORMED_REQUEST: 400,
  INVALID_STATE: 400,
  PERMISSION_DENIED: 403,
  // A request for a feature this deployment has off (MLflow workspaces) will not succeed on retry.
  FEATURE_DISABLED: 400,
  CUSTOMER_UNAUTHORIZED: 401,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_CONFLICT: 409,
  NOT_IMPLEMENTED: 501,
  DATA_LOSS: 500,
  INVALID_STATE_TRANSITION: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  INSUFFICIENT_STORAGE: 507,
};
