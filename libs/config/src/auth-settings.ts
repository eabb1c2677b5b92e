import { passwordWeakness, validateUsername } from '@app/domain';

import { ConfigurationError } from './load-env';
import { readSecretFile } from './secret-file';
import { isTrue, ServerEnv } from './server-env';

export type AuthMode = 'none' | 'basic' | 'jwt';

export interface JwtSettings {
  issuer: string;
  audience: string;
  hs256Secret?: string;
  publicKeyPem?: string;
  jwks?: { keys: unknown[] };
}

/** What the access layer of every service is built from. */
export interface AuthSettings {
  mode: AuthMode;
  /** The first administrator, when configured (checked strong here). */
  admin?: { username: string; password: string };
  credentialCacheTtlMs: number;
  jwt?: JwtSettings;
  /** Listening beyond loopback with no authentication, as the operator asked. */
  unauthenticatedOnNetwork: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * The access settings from the environment, failing the boot (one message per problem, never a
 * value) when they are unsafe: no authentication on a network address without
 * ALLOW_UNAUTHENTICATED, a weak or empty first-admin password, a JWT mode without its key.
 */
export function authSettings(env: ServerEnv): AuthSettings {
  const problems: string[] = [];
  const mode = env.AUTH_MODE as AuthMode;
  const onNetwork = !LOOPBACK.test(env.HOST);
  const allowUnauthenticated = isTrue(env.ALLOW_UNAUTHENTICATED) === true;
  if (mode === 'none' && onNetwork && !allowUnauthenticated) {
    problems.push(
      'AUTH_MODE none serves everyone as an administrator: it listens on loopback only; set AUTH_MODE=basic, or ALLOW_UNAUTHENTICATED=true to listen on HOST anyway',
    );
  }

  // loadEnv has read AUTH_ADMIN_PASSWORD_FILE and AUTH_JWT_SECRET_FILE into their variables.
  const password = env.AUTH_ADMIN_PASSWORD;
  let admin: AuthSettings['admin'];
  if (env.AUTH_ADMIN_USERNAME !== undefined || password !== undefined) {
    const username = env.AUTH_ADMIN_USERNAME ?? '';
    try {
      validateUsername(username);
    } catch (error) {
      problems.push(`AUTH_ADMIN_USERNAME ${(error as Error).message}`);
    }
    if (password === undefined) {
      problems.push(
        'AUTH_ADMIN_PASSWORD (or AUTH_ADMIN_PASSWORD_FILE) is required with AUTH_ADMIN_USERNAME',
      );
    } else {
      const weakness = passwordWeakness(password, username);
      if (weakness) problems.push(`AUTH_ADMIN_PASSWORD is refused: ${weakness}`);
    }
    admin = { username, password: password ?? '' };
  }

  let jwt: JwtSettings | undefined;
  if (mode === 'jwt') jwt = jwtSettings(env, problems);

  if (problems.length > 0) {
    throw new ConfigurationError(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems,
    );
  }
  return {
    mode,
    admin,
    credentialCacheTtlMs: env.AUTH_CACHE_TTL_SECONDS * 1000,
    jwt,
    unauthenticatedOnNetwork: mode === 'none' && onNetwork,
  };
}

function jwtSettings(env: ServerEnv, problems: string[]): JwtSettings | undefined {
  if (!env.AUTH_JWT_ISSUER) problems.push('AUTH_JWT_ISSUER is required with AUTH_MODE=jwt');
  if (!env.AUTH_JWT_AUDIENCE) problems.push('AUTH_JWT_AUDIENCE is required with AUTH_MODE=jwt');
  const hs256Secret = env.AUTH_JWT_SECRET;
  const publicKeyPem = env.AUTH_JWT_PUBLIC_KEY_FILE
    ? readSecretFile(env.AUTH_JWT_PUBLIC_KEY_FILE, 'AUTH_JWT_PUBLIC_KEY_FILE', problems)
    : undefined;
  let jwks: { keys: unknown[] } | undefined;
  if (env.AUTH_JWT_JWKS_FILE) {
    const text = readSecretFile(env.AUTH_JWT_JWKS_FILE, 'AUTH_JWT_JWKS_FILE', problems);
    try {
      if (text !== undefined) jwks = JSON.parse(text) as { keys: unknown[] };
      if (jwks && !Array.isArray(jwks.keys)) throw new Error('no keys');
    } catch {
      problems.push('AUTH_JWT_JWKS_FILE is not a JWKS document ({"keys": [...]})');
    }
  }
  const sources = [hs256Secret, publicKeyPem, jwks].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    problems.push(
      'AUTH_MODE=jwt needs exactly one key: AUTH_JWT_SECRET(_FILE), AUTH_JWT_PUBLIC_KEY_FILE or AUTH_JWT_JWKS_FILE',
    );
  }
  if (hs256Secret !== undefined && Buffer.byteLength(hs256Secret) < 32) {
    problems.push('AUTH_JWT_SECRET must be at least 32 bytes');
  }
  return {
    issuer: env.AUTH_JWT_ISSUER ?? '',
    audience: env.AUTH_JWT_AUDIENCE ?? '',
    hs256Secret,
    publicKeyPem,
    jwks,
  };
}
