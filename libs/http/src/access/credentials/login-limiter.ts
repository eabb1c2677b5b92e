import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface FailureBudget {
  points: number;
  durationSeconds: number;
}

export interface LoginLimiterOptions {
  perUser?: FailureBudget;
  perAddress?: FailureBudget;
}

const DEFAULT_PER_USER: FailureBudget = { points: 10, durationSeconds: 300 };
const DEFAULT_PER_ADDRESS: FailureBudget = { points: 30, durationSeconds: 300 };

/**
 * Counts failed logins per username and per client address, in this process only. Only failures
 * consume points, so a user who keeps logging in correctly is never slowed down.
 */
export class LoginLimiter {
  private readonly perUser: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor({
    perUser = DEFAULT_PER_USER,
    perAddress = DEFAULT_PER_ADDRESS,
  }: LoginLimiterOptions = {}) {
    this.perUser = limiter('login-user', perUser);
    this.perAddress = limiter('login-address', perAddress);
  }

  /** Null when the caller may try now; else the whole seconds (at least 1) until it may. */
  async retryAfterSeconds(username: string | undefined, address: string): Promise<number | null> {
    const [byUser, byAddress] = await Promise.all([
      username === undefined ? null : this.perUser.get(userKey(username)),
      this.perAddress.get(address),
    ]);
    const waits = [
      waitMs(byUser, this.perUser.points),
      waitMs(byAddress, this.perAddress.points),
    ].filter((ms) => ms !== null);
    return waits.length === 0 ? null : Math.max(1, Math.ceil(Math.max(...waits) / 1000));
  }

  async recordFailure(username: string | undefined, address: string): Promise<void> {
    await Promise.all([
      username === undefined ? undefined : consumeOne(this.perUser, userKey(username)),
      consumeOne(this.perAddress, address),
    ]);
  }

  /** Forgets the user's failures; the address keeps its count, since it may be guessing others. */
  async recordSuccess(username: string): Promise<void> {
    await this.perUser.delete(userKey(username));
  }
}

function limiter(keyPrefix: string, { points, durationSeconds }: FailureBudget): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
}

function userKey(username: string): string {
  return username.toLowerCase();
}

function waitMs(state: RateLimiterRes | null, points: number): number | null {
  return state !== null && state.consumedPoints >= points ? state.msBeforeNext : null;
}

async function consumeOne(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    // Over the budget, consume rejects with the limiter's state, not an Error; that is expected.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
  }
}
