import { CredentialCache } from './credential-cache';

interface Resolved {
  userId: number;
  tokenId?: number;
  name: string;
}

describe(CredentialCache.name, () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('returns what was set for the same credential and nothing for another', () => {
    const cache = new CredentialCache<Resolved>();
    cache.set('Bearer mlsk_a', { userId: 1, tokenId: 7, name: 'alice' });
    expect(cache.get('Bearer mlsk_a')).toEqual({ userId: 1, tokenId: 7, name: 'alice' });
    expect(cache.get('Bearer mlsk_b')).toBeUndefined();
  });

  it('forgets entries once their ttl has passed', () => {
    // lru-cache reads the clock from the performance object it saw when loaded.
    jest.useFakeTimers({ doNotFake: ['performance'] });
    jest.spyOn(performance, 'now').mockImplementation(() => Date.now());
    const cache = new CredentialCache<Resolved>({ ttlMs: 1_000 });
    cache.set('Basic YWxpY2U6cHc=', { userId: 1, name: 'alice' });
    jest.advanceTimersByTime(500);
    expect(cache.get('Basic YWxpY2U6cHc=')?.name).toBe('alice');
    jest.advanceTimersByTime(600);
    expect(cache.get('Basic YWxpY2U6cHc=')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond max', () => {
    const cache = new CredentialCache<Resolved>({ max: 2 });
    cache.set('a', { userId: 1, name: 'a' });
    cache.set('b', { userId: 2, name: 'b' });
    cache.get('a');
    cache.set('c', { userId: 3, name: 'c' });
    expect(cache.get('a')?.name).toBe('a');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')?.name).toBe('c');
  });

  it('drops every entry of a user and only those', () => {
    const cache = new CredentialCache<Resolved>();
    cache.set('basic', { userId: 1, name: 'password' });
    cache.set('token-1', { userId: 1, tokenId: 10, name: 'token' });
    cache.set('jwt', { userId: 1, name: 'jwt' });
    cache.set('other', { userId: 2, tokenId: 20, name: 'other' });
    cache.dropUser(1);
    expect(cache.get('basic')).toBeUndefined();
    expect(cache.get('token-1')).toBeUndefined();
    expect(cache.get('jwt')).toBeUndefined();
    expect(cache.get('other')?.name).toBe('other');
  });

  it('drops the entries of one token and keeps the user’s others', () => {
    const cache = new CredentialCache<Resolved>();
    cache.set('token-1', { userId: 1, tokenId: 10, name: 'token 10' });
    cache.set('token-2', { userId: 1, tokenId: 11, name: 'token 11' });
    cache.dropToken(10);
    expect(cache.get('token-1')).toBeUndefined();
    expect(cache.get('token-2')?.name).toBe('token 11');
  });

  it('re-indexes an overwritten credential under its new user', () => {
    const cache = new CredentialCache<Resolved>();
    cache.set('shared', { userId: 1, tokenId: 10, name: 'first' });
    cache.set('shared', { userId: 2, name: 'second' });
    cache.dropUser(1);
    cache.dropToken(10);
    expect(cache.get('shared')?.name).toBe('second');
    cache.dropUser(2);
    expect(cache.get('shared')).toBeUndefined();
  });

  it('keeps the indexes right after eviction', () => {
    const cache = new CredentialCache<Resolved>({ max: 1 });
    cache.set('a', { userId: 1, name: 'a' });
    cache.set('b', { userId: 2, name: 'b' });
    cache.set('a', { userId: 1, name: 'a again' });
    cache.dropUser(2);
    expect(cache.get('a')?.name).toBe('a again');
    cache.dropUser(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('clears everything', () => {
    const cache = new CredentialCache<Resolved>();
    cache.set('a', { userId: 1, name: 'a' });
    cache.set('b', { userId: 2, tokenId: 3, name: 'b' });
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
    cache.set('a', { userId: 1, name: 'a' });
    expect(cache.get('a')?.name).toBe('a');
  });
});
