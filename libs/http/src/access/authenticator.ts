import { createHash } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AuthSettings } from '@app/config';
import {
  IdentityStore,
  LOCAL_OPERATOR,
  MlflowError,
  Principal,
  User,
  validateUsername,
} from '@app/domain';

import {
  CredentialCache,
  JwtRejected,
  JwtVerifier,
  LoginLimiter,
  looksLikeJwt,
  looksLikeTokenSecret,
  tokenSecretHash,
  verifyAgainstDummy,
  verifyPassword,
} from './credentials';

/** A verified credential, as cached: who it is and until when it may be trusted. */
interface VerifiedCredential {
  userId: number;
  tokenId?: number;
  principal: Principal;
  /** The credential's own end (token or JWT expiry), in ms since the epoch; null: none. */
  expiresAt: number | null;
}

/** last_used_time is written at most this often per token: one UPDATE per request would be the hot path. */
const TOKEN_USE_RESOLUTION_MS = 60_000;

function unauthenticated(
  message = 'Authentication required: send HTTP Basic credentials or a bearer token.',
): MlflowError {
  return new MlflowError('UNAUTHENTICATED', message);
}

/**
 * Turns a request's `Authorization` header into a Principal. Basic (MLflow's
 * MLFLOW_TRACKING_USERNAME/PASSWORD) is checked against the user's scrypt hash; Bearer is an API
 * token (stored as its SHA-256) or, in jwt mode, a JWT from the FLOps management. Verified
 * credentials are cached by a hash of the header for a short TTL, so the KDF runs once per
 * credential and TTL, not per request; a password change, deletion or revocation drops them here
 * at once (other instances within the TTL). Failed sign-ins are limited per user and address
 * before the KDF runs.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger('Authenticator');
  private readonly cache: CredentialCache<VerifiedCredential>;
  private readonly limiter = new LoginLimiter();
  private readonly tokenUses = new Map<number, number>();
  private readonly verifying = new Map<string, Promise<VerifiedCredential>>();
  private generation = 0;

  constructor(
    private readonly settings: AuthSettings,
    private readonly identity: IdentityStore,
    private readonly jwt: JwtVerifier | null,
  ) {
    this.cache = new CredentialCache<VerifiedCredential>({ ttlMs: settings.credentialCacheTtlMs });
  }

  get enabled(): boolean {
    return this.settings.mode !== 'none';
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    if (!this.enabled) return LOCAL_OPERATOR;
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header === '') throw unauthenticated();
    const cached = this.cache.get(header);
    if (cached && (cached.expiresAt === null || cached.expiresAt > Date.now())) {
      if (cached.tokenId !== undefined) this.noteTokenUse(cached.tokenId);
      return cached.principal;
    }
    // One verification per credential at a time: the requests a client sends at once when its
    // entry expires would otherwise each pay a KDF.
    const key = createHash('sha256').update(header).digest('base64');
    let pending = this.verifying.get(key);
    if (!pending) {
      pending = this.verify(header, request.ip).finally(() => this.verifying.delete(key));
      this.verifying.set(key, pending);
    }
    return (await pending).principal;
  }

  private async verify(header: string, address: string): Promise<VerifiedCredential> {
    const generation = this.generation;
    const [scheme, value = ''] = splitOnce(header.trim(), ' ');
    let verified: VerifiedCredential;
    switch (scheme.toLowerCase()) {
      case 'basic':
        verified = await this.verifyBasic(value.trim(), address);
        break;
      case 'bearer':
        verified = await this.verifyBearer(value.trim(), address);
        break;
      default:
        throw unauthenticated('Unsupported authorization scheme: use Basic or Bearer.');
    }
    // A password change or revocation during the check must not be undone by caching its result.
    if (this.settings.credentialCacheTtlMs > 0 && generation === this.generation) {
      this.cache.set(header, verified);
    }
    return verified;
  }

  /** After a password change, an admin flag change or a deletion. */
  forgetUser(userId: number): void {
    this.generation++;
    this.cache.dropUser(userId);
  }

  forgetToken(tokenId: number): void {
    this.generation++;
    this.cache.dropToken(tokenId);
  }

  private async verifyBasic(encoded: string, address: string): Promise<VerifiedCredential> {
    const [username, password] = splitOnce(Buffer.from(encoded, 'base64').toString('utf8'), ':');
    if (password === undefined || username === '') {
      throw unauthenticated('Malformed Basic credentials.');
    }
    await this.refuseIfLimited(username, address);
    const user = await this.identity.findUser(username);
    const valid = user?.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password);
    if (!user || !valid) {
      await this.limiter.recordFailure(username, address);
      throw unauthenticated('Invalid username or password.');
    }
    await this.limiter.recordSuccess(username);
    return { userId: user.id, principal: principalOf(user), expiresAt: null };
  }

  private async verifyBearer(value: string, address: string): Promise<VerifiedCredential> {
    await this.refuseIfLimited(undefined, address);
    if (looksLikeTokenSecret(value)) return this.verifyToken(value, address);
    if (this.jwt && looksLikeJwt(value)) return this.verifyJwt(value, address);
    await this.limiter.recordFailure(undefined, address);
    throw unauthenticated('Invalid bearer token.');
  }

  private async verifyToken(secret: string, address: string): Promise<VerifiedCredential> {
    const found = await this.identity.findToken(tokenSecretHash(secret));
    const now = Date.now();
    if (!found || found.token.revokedTime !== null) {
      await this.limiter.recordFailure(undefined, address);
      throw unauthenticated('Invalid bearer token.');
    }
    const { token, user } = found;
    if (token.expirationTime !== null && token.expirationTime <= now) {
      throw unauthenticated('The token has expired.');
    }
    this.noteTokenUse(token.id);
    return {
      userId: user.id,
      tokenId: token.id,
      principal: {
        ...principalOf(user),
        tokenId: token.id,
        ...(token.experimentId !== null ? { scope: { experimentId: token.experimentId } } : {}),
      },
      expiresAt: token.expirationTime,
    };
  }

  private async verifyJwt(token: string, address: string): Promise<VerifiedCredential> {
    let claims: { subject: string; expiresAt: number | null };
    try {
      claims = await this.jwt!.verify(token);
    } catch (error) {
      await this.limiter.recordFailure(undefined, address);
      if (error instanceof JwtRejected) throw unauthenticated(error.message);
      throw error;
    }
    try {
      validateUsername(claims.subject);
    } catch {
      throw unauthenticated('The token subject is not a valid username.');
    }
    const user = await this.userForSubject(claims.subject);
    return { userId: user.id, principal: principalOf(user), expiresAt: claims.expiresAt };
  }

  /** A JWT subject is a FLOps customer: its user is created on first use, with no password. */
  private async userForSubject(subject: string): Promise<User> {
    const existing = await this.identity.findUser(subject);
    if (existing) return existing;
    try {
      return await this.identity.createUser({
        username: subject,
        passwordHash: null,
        isAdmin: false,
      });
    } catch (error) {
      // Another instance created it between our read and our insert.
      const raced = await this.identity.findUser(subject);
      if (raced) return raced;
      throw error;
    }
  }

  private async refuseIfLimited(username: string | undefined, address: string): Promise<void> {
    const retryAfter = await this.limiter.retryAfterSeconds(username, address);
    if (retryAfter !== null) {
      throw new MlflowError(
        'REQUEST_LIMIT_EXCEEDED',
        'Too many failed sign-in attempts. Retry later.',
        retryAfter,
      );
    }
  }

  private noteTokenUse(tokenId: number): void {
    const now = Date.now();
    const last = this.tokenUses.get(tokenId);
    if (last !== undefined && now - last < TOKEN_USE_RESOLUTION_MS) return;
    this.tokenUses.set(tokenId, now);
    if (this.tokenUses.size > 100_000) this.tokenUses.clear();
    this.identity.recordTokenUse(tokenId, now).catch((error: unknown) => {
      this.logger.warn(`Could not record a token's last use: ${String(error)}`);
    });
  }
}

function principalOf(user: User): Principal {
  return { userId: user.id, username: user.username, isAdmin: user.isAdmin };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}
