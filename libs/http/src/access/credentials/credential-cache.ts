import { createHash } from 'node:crypto';

import { LRUCache } from 'lru-cache';

export interface CachedCredential {
  userId: number;
  tokenId?: number;
}

export interface CredentialCacheOptions {
  max?: number;
  ttlMs?: number;
}

const DEFAULT_MAX = 10_000;
const DEFAULT_TTL_MS = 30_000;

/**
 * What a credential resolved to, for a short while, so a request does not pay for a KDF run or a
 * store lookup each time. Keys are sha256 digests of the credential, so a heap dump holds no
 * usable secret. Revoking a user or a token must call dropUser / dropToken.
 */
export class CredentialCache<V extends CachedCredential> {
  private readonly entries: LRUCache<string, V>;
  private readonly keysByUser = new Map<number, Set<string>>();
  private readonly keysByToken = new Map<number, Set<string>>();

  constructor({ max = DEFAULT_MAX, ttlMs = DEFAULT_TTL_MS }: CredentialCacheOptions = {}) {
    this.entries = new LRUCache<string, V>({
      max,
      ttl: ttlMs,
      // Called synchronously on eviction, expiry, delete and overwrite: the indexes follow.
      dispose: (value, key) => this.unindex(key, value),
    });
  }

  get(credential: string): V | undefined {
    return this.entries.get(digest(credential));
  }

  set(credential: string, value: V): void {
    const key = digest(credential);
    this.entries.set(key, value);
    addTo(this.keysByUser, value.userId, key);
    if (value.tokenId !== undefined) addTo(this.keysByToken, value.tokenId, key);
  }

  dropUser(userId: number): void {
    this.deleteAll(this.keysByUser.get(userId));
  }

  dropToken(tokenId: number): void {
    this.deleteAll(this.keysByToken.get(tokenId));
  }

  clear(): void {
    this.entries.clear();
    this.keysByUser.clear();
    this.keysByToken.clear();
  }

  private deleteAll(keys: Set<string> | undefined): void {
    // Copied first: each delete disposes, which shrinks the set being walked.
    for (const key of [...(keys ?? [])]) this.entries.delete(key);
  }

  private unindex(key: string, value: V): void {
    removeFrom(this.keysByUser, value.userId, key);
    if (value.tokenId !== undefined) removeFrom(this.keysByToken, value.tokenId, key);
  }
}

function digest(credential: string): string {
  return createHash('sha256').update(credential, 'utf8').digest('hex');
}

function addTo(index: Map<number, Set<string>>, id: number, key: string): void {
  const keys = index.get(id);
  if (keys) keys.add(key);
  else index.set(id, new Set([key]));
}

function removeFrom(index: Map<number, Set<string>>, id: number, key: string): void {
  const keys = index.get(id);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(id);
}
