import { createPublicKey, type KeyObject } from 'node:crypto';

import {
  createLocalJWKSet,
  errors,
  importSPKI,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /** Exactly one of hs256Secret, publicKeyPem and jwks. */
  hs256Secret?: string;
  publicKeyPem?: string;
  jwks?: { keys: unknown[] };
  clockToleranceSeconds?: number;
}

export interface VerifiedJwt {
  subject: string;
  /** Milliseconds since the epoch, from the token's `exp`. */
  expiresAt: number | null;
}

export interface JwtVerifier {
  verify(token: string): Promise<VerifiedJwt>;
}

/** Why a token was refused, in a fixed message that never quotes the token. */
export class JwtRejected extends Error {
  override readonly name = 'JwtRejected';
}

const MIN_SECRET_BYTES = 32;
const PUBLIC_KEY_ALGORITHMS = ['RS256', 'ES256'];

type PayloadVerifier = (token: string, options: JWTVerifyOptions) => Promise<JWTPayload>;

export async function createJwtVerifier(options: JwtVerifierOptions): Promise<JwtVerifier> {
  const { issuer, audience, clockToleranceSeconds } = options;
  if (!issuer) throw new Error('JWT verification needs an issuer.');
  if (!audience) throw new Error('JWT verification needs an audience.');
  if (
    clockToleranceSeconds !== undefined &&
    !(Number.isFinite(clockToleranceSeconds) && clockToleranceSeconds >= 0)
  ) {
    throw new Error('The JWT clock tolerance must be a non-negative number of seconds.');
  }

  const { verifyPayload, algorithms } = await payloadVerifier(options);
  const verifyOptions: JWTVerifyOptions = {
    issuer,
    audience,
    algorithms,
    requiredClaims: ['exp', 'sub'],
    clockTolerance: clockToleranceSeconds,
  };

  return {
    async verify(token: string): Promise<VerifiedJwt> {
      let payload: JWTPayload;
      try {
        payload = await verifyPayload(token, verifyOptions);
      } catch (error) {
        throw new JwtRejected(rejectionMessage(error));
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new JwtRejected('The token names no subject.');
      }
      return {
        subject: payload.sub,
        expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
      };
    },
  };
}

async function payloadVerifier(
  options: JwtVerifierOptions,
): Promise<{ verifyPayload: PayloadVerifier; algorithms: string[] }> {
  const { hs256Secret, publicKeyPem, jwks } = options;
  const given = [hs256Secret, publicKeyPem, jwks].filter((source) => source !== undefined);
  if (given.length !== 1) {
    throw new Error(
      `JWT verification needs exactly one of hs256Secret, publicKeyPem and jwks; ${given.length} were given.`,
    );
  }

  if (hs256Secret !== undefined) {
    const secret = new TextEncoder().encode(hs256Secret);
    if (secret.length < MIN_SECRET_BYTES) {
      throw new Error(`The JWT hs256Secret must be at least ${MIN_SECRET_BYTES} bytes long.`);
    }
    return {
      verifyPayload: async (token, verifyOptions) =>
        (await jwtVerify(token, secret, verifyOptions)).payload,
      algorithms: ['HS256'],
    };
  }

  if (publicKeyPem !== undefined) {
    const algorithm = publicKeyAlgorithm(publicKeyPem);
    const key = await importSPKI(publicKeyPem, algorithm);
    return {
      verifyPayload: async (token, verifyOptions) =>
        (await jwtVerify(token, key, verifyOptions)).payload,
      algorithms: [algorithm],
    };
  }

  let keySet: JWTVerifyGetKey;
  try {
    keySet = createLocalJWKSet(jwks as JSONWebKeySet);
  } catch {
    throw new Error('The JWT jwks is not a JSON Web Key Set.');
  }
  return {
    verifyPayload: async (token, verifyOptions) =>
      (await jwtVerify(token, keySet, verifyOptions)).payload,
    algorithms: PUBLIC_KEY_ALGORITHMS,
  };
}

/** A key verifies one algorithm only; reading it from the key shuts out algorithm confusion. */
function publicKeyAlgorithm(pem: string): string {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('The JWT publicKeyPem is not a PEM public key.');
  }
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  throw new Error('The JWT publicKeyPem must be an RSA key (RS256) or a P-256 key (ES256).');
}

function rejectionMessage(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss' || error.claim === 'aud') {
      return 'The token was not issued for this server.';
    }
    if (error.claim === 'nbf') return 'The token is not valid yet.';
    if (error.reason === 'missing') return 'The token lacks a required claim.';
    return 'The token is malformed.';
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'The token is not signed with an accepted algorithm.';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The token signature is not valid.';
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return 'The token was signed with an unknown key.';
  }
  return 'The token is malformed.';
}
