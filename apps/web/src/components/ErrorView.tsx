import { ApiError } from '../api/client';

/** An API error as the user should read it: the server's message, its code, what to do. */
export function ErrorView({ error, what }: { error: unknown; what?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.errorCode : undefined;
  const hint =
    error instanceof ApiError && error.isForbidden
      ? 'You do not have permission to see this.'
      : error instanceof ApiError && error.isNotFound
        ? 'It does not exist, or was deleted.'
        : undefined;
  return (
    <div role="alert" className="error-box">
      <strong>{what ? `Could not load ${what}` : 'Something went wrong'}</strong>
      {hint && <p>{hint}</p>}
      <p className="mono">
        {code ? `${code}: ` : ''}
        {message}
      </p>
    </div>
  );
}
