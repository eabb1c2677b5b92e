import { timingSafeEqual } from 'node:crypto';

import { Controller, Get, Headers, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { MlflowError } from '@app/domain';

import { Access } from '../access';
import { OperationsOptions } from './operations-options';
import { ReadinessService } from './readiness.service';
import { ServiceMetrics } from './service-metrics';

const READINESS_EXAMPLE = {
  status: 'ok',
  info: {
    backend_store: { status: 'up', store: 'mysql://***@mysql:3306/mlflow' },
    artifact_store: { status: 'up', store: 'ftp://***@vsftpd:21/artifacts' },
  },
  error: {},
  details: {},
};

/** `/health/ready` beside MLflow's `/health` liveness probe, on every service. */
@ApiTags('meta')
@Controller()
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('health/ready')
  @Access.public()
  @ApiOperation({
    summary: 'Readiness probe',
    description:
      'The backend store answers and is migrated, and the artifact store answers (each outcome reused for READINESS_CACHE_SECONDS). Store URIs are shown with their credentials redacted.',
  })
  @ApiOkResponse({ description: 'Ready', schema: { type: 'object', example: READINESS_EXAMPLE } })
  @ApiServiceUnavailableResponse({ description: 'A store is down; `error` names the check' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const { ready, body } = await this.readiness.readiness();
    if (!ready) void reply.status(503);
    return body;
  }
}

/** `/metrics` in Prometheus' text format. */
@ApiTags('meta')
@Controller()
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: ServiceMetrics,
    options: OperationsOptions,
  ) {
    this.token = options.metricsToken === undefined ? undefined : Buffer.from(options.metricsToken);
  }

  // Public like MLflow's --expose-prometheus, unless METRICS_TOKEN asks for a bearer token: the
  // policy model's sign-in would make every scraper a user of the suite.
  @Get('metrics')
  @Access.public()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format. Public unless METRICS_TOKEN is set, then `Authorization: Bearer <METRICS_TOKEN>` is required.',
  })
  @ApiOkResponse({ schema: { type: 'string' } })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (this.token && !this.authorized(authorization)) {
      void reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new MlflowError('UNAUTHENTICATED', 'A valid metrics bearer token is required.');
    }
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  private authorized(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match || !this.token) return false;
    const given = Buffer.from(match[1]);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}
