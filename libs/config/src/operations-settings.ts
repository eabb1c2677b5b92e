import { ConfigurationError } from './load-env';
import { isTrue, ServerEnv } from './server-env';

/** Readiness and metrics, as every service serves them (`/health/ready`, `/metrics`). */
export interface OperationsSettings {
  /** Serve `/metrics` and measure requests, pools and transfers. */
  metricsEnabled: boolean;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long a readiness answer is reused, so a probe storm does not reach the stores. */
  readinessCacheMs: number;
}

export function operationsSettings(env: ServerEnv): OperationsSettings {
  const problems: string[] = [];
  const metricsToken = env.METRICS_TOKEN;
  if (metricsToken === '') problems.push('METRICS_TOKEN must not be empty');
  if (problems.length > 0) {
    throw new ConfigurationError(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return {
    metricsEnabled: isTrue(env.METRICS_ENABLED) ?? true,
    metricsToken,
    readinessCacheMs: env.READINESS_CACHE_SECONDS * 1000,
  };
}
