/** Settings of `/health/ready` and `/metrics` (OPERATIONS settings of libs/config). */
export abstract class OperationsOptions {
  abstract readonly metricsEnabled: boolean;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  abstract readonly metricsToken?: string;
  /** How long a readiness outcome is reused, in milliseconds. */
  abstract readonly readinessCacheMs: number;
}
