import { ErrorCode } from './error-code';

/**
 * The one error type domain code throws. It carries an MLflow error code and a message written for
 * the client; the HTTP layer maps the code to a status. Messages must never contain credentials,
 * SQL text or server file-system paths.
 */
export class MlflowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds a client should wait before retrying (sent as Retry-After on 429/503). */
    readonly retryAfterSeconds?: number,
    /** What went wrong underneath, for the server's log only; never sent to the client. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'MlflowError';
  }

  static invalidParameterValue(message: string): MlflowError {
    return new MlflowError('INVALID_PARAMETER_VALUE', message);
  }

  static resourceDoesNotExist(message: string): MlflowError {
    return new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
  }

  static resourceAlreadyExists(message: string): MlflowError {
    return new MlflowError('RESOURCE_ALREADY_EXISTS', message);
  }

  static badRequest(message: string): MlflowError {
    return new MlflowError('BAD_REQUEST', message);
  }

  static invalidState(message: string): MlflowError {
    return new MlflowError('INVALID_STATE', message);
  }

  static notImplemented(message: string): MlflowError {
    return new MlflowError('NOT_IMPLEMENTED', message);
  }

  static permissionDenied(message: string): MlflowError {
    return new MlflowError('PERMISSION_DENIED', message);
  }

  static temporarilyUnavailable(
    message: string,
    retryAfterSeconds = 5,
    cause?: unknown,
  ): MlflowError {
    return new MlflowError('TEMPORARILY_UNAVAILABLE', message, retryAfterSeconds, cause);
  }

  static internalError(message: string): MlflowError {
    return new MlflowError('INTERNAL_ERROR', message);
  }
}

/** A field's name in messages: `metrics[3].key` inside a batch, `key` at the top of a request. */
export function fieldPath(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

/** MLflow's wording for request-validation failures (`mlflow/server/handlers.py`). */
export const API_DOCS_HINT = 'See the API docs for more information about request parameters.';

export function missingParameterError(name: string): MlflowError {
  return MlflowError.invalidParameterValue(
    `Missing value for required parameter '${name}'. ${API_DOCS_HINT}`,
  );
}

/** Python's name for the JSON type of a value, as MLflow prints it in its type hints. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

export function invalidParameterTypeError(name: string, value: unknown): MlflowError {
  return MlflowError.invalidParameterValue(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied:  Hint: Value was of type '${pythonTypeName(value)}'. ${API_DOCS_HINT}`,
  );
}
