import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_SECRET_PREFIX = 'mlsk_';

const SECRET_BYTES = 32;
const TOKEN_SECRET = /^mlsk_[A-Za-z0-9_-]{43}$/;
// An unsigned token ("alg": "none") has an empty signature; it is still routed to the verifier,
// which refuses it with a reason.
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A new API token secret: the prefix, then 32 random bytes in base64url. */
export function newTokenSecret(): string {
  return TOKEN_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * The stored form of a token secret. A fast hash is right here, unlike for passwords: the secret
 * carries 256 random bits, so there is nothing for a slow KDF to protect against guessing.
 */
export function tokenSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function looksLikeTokenSecret(value: string): boolean {
  return TOKEN_SECRET.test(value);
}

export function looksLikeJwt(value: string): boolean {
  return JWT.test(value);
}
