import { ServerEnv } from './server-env';

/** What the HTTP layer of every service is built from. */
export interface HttpSettings {
  /** Largest JSON request body; artifact uploads are streamed and not subject to it. */
  bodyLimit: number;
  /** Fastify's trustProxy: which X-Forwarded-For hops name the client. */
  trustProxy: boolean | number | string[];
  /** Origins allowed cross-origin (`*` for any); empty: CORS off. */
  corsOrigins: string[];
}

export function httpSettings(env: ServerEnv): HttpSettings {
  return {
    bodyLimit: env.JSON_BODY_LIMIT_BYTES,
    trustProxy: trustProxy(env.TRUST_PROXY),
    corsOrigins: env.CORS_ORIGINS === undefined ? [] : list(env.CORS_ORIGINS),
  };
}

function trustProxy(value: string | undefined): HttpSettings['trustProxy'] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return list(value);
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
