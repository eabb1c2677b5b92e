import { currentCredentials, onSignedOut } from '../auth/session';

/** An MLflow-shaped error (`{error_code, message}`) or a transport failure, with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.errorCode === 'RESOURCE_DOES_NOT_EXIST';
  }
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** `?a=1&b=x&b=y`: arrays repeat their key, as MLflow's GET endpoints read them. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Credentials other than the session's (the sign-in form's Basic header). */
  authorization?: string;
}

function headersFor(options: RequestOptions): Headers {
  const headers = new Headers({ accept: 'application/json' });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  const authorization = options.authorization ?? currentCredentials();
  if (authorization) headers.set('authorization', authorization);
  return headers;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.message === 'string') {
      return new ApiError(
        response.status,
        typeof body.error_code === 'string' ? body.error_code : 'INTERNAL_ERROR',
        body.message,
      );
    }
  } catch {
    // not an MLflow error body: fall through
  }
  return new ApiError(
    response.status,
    'HTTP_' + response.status,
    text.slice(0, 300) || response.statusText,
  );
}

/** One call of the suite's API; JSON in and out. A 401 drops the session (token revoked or expired). */
export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(method, path, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** The raw response (artifact bytes, CSV export), after the same error handling as `request`. */
export async function send(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), {
      method,
      headers: headersFor(options),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'omit',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.');
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.isUnauthenticated && options.authorization === undefined) onSignedOut();
    throw error;
  }
  return response;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>('GET', path, { query, signal });

export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body });

export const patch = <T>(path: string, body: unknown = {}) => request<T>('PATCH', path, { body });

export const del = <T>(path: string, body: unknown = {}) => request<T>('DELETE', path, { body });

/** MLflow writes doubles as numbers or as the strings "NaN", "Infinity", "-Infinity". */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return NaN;
}
