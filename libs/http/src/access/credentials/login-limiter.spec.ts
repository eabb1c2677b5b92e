import { LoginLimiter } from './login-limiter';

const budget = { points: 3, durationSeconds: 60 };

async function failTimes(
  limiter: LoginLimiter,
  times: number,
  username: string | undefined,
  address: string,
): Promise<void> {
  for (let i = 0; i < times; i++) await limiter.recordFailure(username, address);
}

describe(LoginLimiter.name, () => {
  it('lets a fresh caller try', async () => {
    const limiter = new LoginLimiter();
    await expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).resolves.toBeNull();
    await expect(limiter.retryAfterSeconds(undefined, '10.0.0.1')).resolves.toBeNull();
  });

  it('blocks a username after its failure budget, with a positive retry-after', async () => {
    const limiter = new LoginLimiter({ perUser: budget, perAddress: { ...budget, points: 100 } });
    await failTimes(limiter, 2, 'alice', '10.0.0.1');
    await expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).resolves.toBeNull();

    await limiter.recordFailure('alice', '10.0.0.2');
    const wait = await limiter.retryAfterSeconds('alice', '10.0.0.3');
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(Number.isInteger(wait)).toBe(true);
    await expect(limiter.retryAfterSeconds('bob', '10.0.0.3')).resolves.toBeNull();
  });

  it('treats usernames case-insensitively', async () => {
    const limiter = new LoginLimiter({ perUser: budget, perAddress: { ...budget, points: 100 } });
    await failTimes(limiter, 3, 'Alice', '10.0.0.1');
    await expect(limiter.retryAfterSeconds('ALICE', '10.0.0.9')).resolves.toBeGreaterThan(0);
  });

  it('blocks an address after its failure budget, whatever the username', async () => {
    const limiter = new LoginLimiter({ perUser: { ...budget, points: 100 }, perAddress: budget });
    await limiter.recordFailure('a', '10.0.0.1');
    await limiter.recordFailure('b', '10.0.0.1');
    await limiter.recordFailure(undefined, '10.0.0.1');
    await expect(limiter.retryAfterSeconds('c', '10.0.0.1')).resolves.toBeGreaterThan(0);
    await expect(limiter.retryAfterSeconds(undefined, '10.0.0.1')).resolves.toBeGreaterThan(0);
    await expect(limiter.retryAfterSeconds('c', '10.0.0.2')).resolves.toBeNull();
  });

  it('keeps counting failures past the budget without throwing', async () => {
    const limiter = new LoginLimiter({ perUser: budget, perAddress: budget });
    await expect(failTimes(limiter, 6, 'alice', '10.0.0.1')).resolves.toBeUndefined();
    await expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).resolves.toBeGreaterThan(0);
  });

  it('resets the user’s count on success but not the address’s', async () => {
    const limiter = new LoginLimiter({ perUser: budget, perAddress: budget });
    await failTimes(limiter, 3, 'alice', '10.0.0.1');
    await limiter.recordSuccess('ALICE');
    await expect(limiter.retryAfterSeconds('alice', '10.0.0.2')).resolves.toBeNull();
    await expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).resolves.toBeGreaterThan(0);
  });

  it('counts no username when none was given', async () => {
    const limiter = new LoginLimiter({ perUser: budget, perAddress: { ...budget, points: 100 } });
    await failTimes(limiter, 5, undefined, '10.0.0.1');
    await expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).resolves.toBeNull();
  });
});
