import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { ArtifactMeter, DatabaseMeter, LearnerKeyRefusals } from '@app/domain';

import { MetricsController, ReadinessController } from './operations.controller';
import { OperationsOptions } from './operations-options';
import { ReadinessService } from './readiness.service';
import { ServiceMetrics } from './service-metrics';

/**
 * `/health/ready` and, unless METRICS_ENABLED is false, `/metrics` with the meters the stores
 * and the learner-privacy rule report to. Global, so the store modules find the meters; without
 * metrics no meter is bound and nothing is measured.
 */
@Global()
@Module({})
export class OperationsModule {
  static register(options: OperationsOptions): DynamicModule {
    const meters = options.metricsEnabled
      ? [
          ServiceMetrics,
          {
            provide: LearnerKeyRefusals,
            inject: [ServiceMetrics],
            useFactory: (m: ServiceMetrics) => m.learnerKeyRefusals,
          },
          {
            provide: DatabaseMeter,
            inject: [ServiceMetrics],
            useFactory: (m: ServiceMetrics) => m.databaseMeter,
          },
          {
            provide: ArtifactMeter,
            inject: [ServiceMetrics],
            useFactory: (m: ServiceMetrics) => m.artifactMeter,
          },
        ]
      : [];
    return {
      module: OperationsModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: options.metricsEnabled
        ? [ReadinessController, MetricsController]
        : [ReadinessController],
      providers: [{ provide: OperationsOptions, useValue: options }, ReadinessService, ...meters],
      exports: options.metricsEnabled
        ? [LearnerKeyRefusals, DatabaseMeter, ArtifactMeter, ServiceMetrics]
        : [],
    };
  }
}
