import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import {
  ArtifactDirection,
  ArtifactMeter,
  ArtifactOperation,
  ArtifactStoreStatus,
  BackendStoreStatus,
  DatabaseMeter,
  ErrorCode,
  LearnerKeyRefusal,
  LearnerKeyRefusals,
  PoolUsage,
  TransactionRetryReason,
} from '@app/domain';

/** Seconds; from a cached read (~1 ms) to a large artifact transfer. */
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
const WAIT_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const POOL_STATES = ['in_use', 'idle', 'waiting'] as const;

/** Requests that matched no route share one label, so scanners cannot grow the label set. */
const UNMATCHED_ROUTE = 'unmatched';

type Observe = (seconds: number) => void;

/** One route's label sets, made when the route is registered; one child per status seen. */
interface RouteSeries {
  readonly method: string;
  readonly route: string;
  readonly byStatus: Map<number, Observe>;
}

const SERIES = Symbol('flops:metrics-series');
const STARTED = 'flopsMetricsStart';

/**
 * The process's Prometheus registry (one per app) and every measurement behind `/metrics`: HTTP
 * requests by route template, in-flight requests, the database and artifact pools, transaction
 * retries, artifact bytes and failures, learner-privacy refusals, and prom-client's process
 * metrics. Binds the domain's meter ports.
 */
@Injectable()
export class ServiceMetrics implements OnModuleInit {
  readonly registry = new Registry();
  private inFlight = 0;
  private readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly acquireSeconds: Histogram;
  private readonly retries: Counter<'reason'>;
  private readonly artifactBytes: Counter<'store' | 'direction'>;
  private readonly artifactErrors: Counter<'store' | 'operation' | 'code'>;
  private readonly refusals: Counter<'kind'>;
  // Looked up after construction: the stores' modules take their meters from this one.
  private backend?: BackendStoreStatus;
  private artifacts?: ArtifactStoreStatus;

  constructor(private readonly moduleRef: ModuleRef) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requestSeconds = new Histogram({
      name: 'flops_http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status: latency (its _count counts them)',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const inFlight = (): number => this.inFlight;
    // A plain number per request, handed to the gauge only when scraped.
    new Gauge({
      name: 'flops_http_requests_in_flight',
      help: 'HTTP requests being served',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    poolGauges('flops_db_pool', 'Backend store connections', registers, () =>
      this.backend ? [[{}, this.backend.poolUsage()]] : [],
    );
    this.acquireSeconds = new Histogram({
      name: 'flops_db_pool_acquire_seconds',
      help: 'Time a statement or transaction waited for a database connection (SQLite: its lock)',
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: 'flops_db_transaction_retries_total',
      help: 'Transactions retried after a deadlock or lock-wait timeout',
      labelNames: ['reason'],
      registers,
    });
    this.artifactBytes = new Counter({
      name: 'flops_artifact_bytes_total',
      help: 'Artifact bytes written to (in) and read from (out) the artifact store, by store kind',
      labelNames: ['store', 'direction'],
      registers,
    });
    this.artifactErrors = new Counter({
      name: 'flops_artifact_errors_total',
      help: 'Artifact store operations and transfers that failed, by store kind and error code',
      labelNames: ['store', 'operation', 'code'],
      registers,
    });
    poolGauges(
      'flops_artifact_pool',
      'Artifact store (FTP/SFTP) connections',
      registers,
      () => {
        const usage = this.artifacts?.poolUsage();
        return usage && this.artifacts ? [[{ store: this.artifacts.kind }, usage]] : [];
      },
      ['store'],
    );
    this.refusals = new Counter({
      name: 'flops_learner_privacy_refusals_total',
      help: 'Writes refused by the learner-privacy rule, by kind of key',
      labelNames: ['kind'],
      registers,
    });
  }

  onModuleInit(): void {
    this.backend = this.optional(BackendStoreStatus);
    this.artifacts = this.optional(ArtifactStoreStatus);
  }

  /**
   * Measures every request with two Fastify hooks. Each route's label values are fixed when it
   * is registered, so a request costs two clock reads, a map lookup and one observation; ids in
   * URLs never become labels.
   */
  install(fastify: FastifyInstance): void {
    fastify.decorateRequest(STARTED, 0);
    fastify.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      const series = new Map(
        methods.map((method) => [method, this.series(method, route.url ?? route.path)]),
      );
      route.config = { ...(route.config as object), [SERIES]: series };
    });
    fastify.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
      (request as unknown as Record<string, number>)[STARTED] = performance.now();
      this.inFlight++;
      done();
    });
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      this.inFlight--;
      const seconds =
        (performance.now() - (request as unknown as Record<string, number>)[STARTED]) / 1000;
      const routes = (request.routeOptions.config as { [SERIES]?: Map<string, RouteSeries> })[
        SERIES
      ];
      const series = routes?.get(request.method) ?? this.series(request.method, UNMATCHED_ROUTE);
      let observe = series.byStatus.get(reply.statusCode);
      if (!observe) {
        const child = this.requestSeconds.labels(
          series.method,
          series.route,
          `${reply.statusCode}`,
        );
        observe = (value) => child.observe(value);
        series.byStatus.set(reply.statusCode, observe);
      }
      observe(seconds);
      done();
    });
  }

  readonly learnerKeyRefusals: LearnerKeyRefusals = {
    refused: (refusal: LearnerKeyRefusal) => this.refusals.inc({ kind: refusal.kind }),
  };

  readonly databaseMeter: DatabaseMeter = {
    connectionAcquired: (waitSeconds: number) => this.acquireSeconds.observe(waitSeconds),
    transactionRetried: (reason: TransactionRetryReason) => this.retries.inc({ reason }),
  };

  readonly artifactMeter: ArtifactMeter = {
    bytes: (store: string, direction: ArtifactDirection) => {
      const child = this.artifactBytes.labels(store, direction);
      return (count: number) => child.inc(count);
    },
    failed: (store: string, operation: ArtifactOperation, code: ErrorCode) =>
      this.artifactErrors.inc({ store, operation, code }),
  };

  private optional<T>(token: abstract new () => T): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }

  private readonly unmatched = new Map<string, RouteSeries>();

  private series(method: string, route: string): RouteSeries {
    if (route !== UNMATCHED_ROUTE) return { method, route, byStatus: new Map() };
    let series = this.unmatched.get(method);
    if (!series) {
      series = { method, route, byStatus: new Map() };
      this.unmatched.set(method, series);
    }
    return series;
  }
}

/** `<name>_connections{state}` and `<name>_max_connections`, read from the pool at scrape time. */
function poolGauges(
  name: string,
  help: string,
  registers: Registry[],
  read: () => [Record<string, string>, PoolUsage | null][],
  labelNames: string[] = [],
): void {
  new Gauge({
    name: `${name}_connections`,
    help: `${help} by state (waiting: callers queued for one)`,
    labelNames: [...labelNames, 'state'],
    registers,
    collect() {
      this.reset();
      for (const [labels, usage] of read()) {
        if (!usage) continue;
        const values = { in_use: usage.inUse, idle: usage.idle, waiting: usage.waiting };
        for (const state of POOL_STATES) this.set({ ...labels, state }, values[state]);
      }
    },
  });
  new Gauge({
    name: `${name}_max_connections`,
    help: `${help}: the pool's upper bound`,
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [labels, usage] of read()) if (usage) this.set(labels, usage.max);
    },
  });
}
