import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import {
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';

import { ArtifactStoreStatus, BackendStoreStatus, StoreStatus } from '@app/domain';

import { OperationsOptions } from './operations-options';

/** A store that does not answer within this long is not ready (FTP's own timeout is 30 s). */
const CHECK_TIMEOUT_MS = 5_000;

interface Check {
  readonly key: 'backend_store' | 'artifact_store';
  readonly label: string;
  readonly status: StoreStatus;
  /** The cause of the last failure, or null when the last check passed; undefined before one. */
  failure?: string | null;
  cached?: { at: number; result: Promise<string | null> };
}

export interface Readiness {
  ready: boolean;
  body: HealthCheckResult;
}

/**
 * `/health/ready`: the backend store answers and is migrated, the artifact store answers. Each
 * check's outcome is reused for a few seconds (READINESS_CACHE_SECONDS) so a probe storm does not
 * reach FTP; a store going down or coming back is logged once, at boot and after.
 */
@Injectable()
export class ReadinessService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Readiness');
  private readonly checks: Check[];

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly options: OperationsOptions,
    @Optional() backend?: BackendStoreStatus,
    @Optional() artifacts?: ArtifactStoreStatus,
  ) {
    this.checks = [];
    if (backend) {
      this.checks.push({ key: 'backend_store', label: 'Backend store', status: backend });
    }
    if (artifacts) {
      this.checks.push({ key: 'artifact_store', label: 'Artifact store', status: artifacts });
    }
  }

  /** The stores are checked once before the service takes requests; failing ones are logged. */
  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.checks.map((check) => this.outcome(check)));
  }

  async readiness(): Promise<Readiness> {
    const body = await this.health
      .check(this.checks.map((check) => () => this.indicate(check)))
      .catch((error: { getResponse?: () => unknown }) => {
        if (typeof error.getResponse !== 'function') throw error;
        return error.getResponse() as HealthCheckResult;
      });
    return { ready: body.status === 'ok', body };
  }

  private async indicate(check: Check): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(check.key);
    const failure = await this.outcome(check);
    const store = check.status.description;
    return failure === null ? session.up({ store }) : session.down({ store, message: failure });
  }

  private outcome(check: Check): Promise<string | null> {
    const now = Date.now();
    if (check.cached && now - check.cached.at < this.options.readinessCacheMs) {
      return check.cached.result;
    }
    const result = withTimeout(check.status.check(), CHECK_TIMEOUT_MS).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : 'check failed'),
    );
    check.cached = { at: now, result };
    return result.then((failure) => {
      this.logChange(check, failure);
      return failure;
    });
  }

  private logChange(check: Check, failure: string | null): void {
    const before = check.failure;
    check.failure = failure;
    const store = check.status.description;
    if (failure !== null && before !== failure) {
      this.logger.error(
        `${check.label} ${store} is unreachable: ${failure}; not ready until it answers`,
      );
    } else if (failure === null && typeof before === 'string') {
      this.logger.warn(`${check.label} ${store} answers again; ready`);
    }
  }
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
