import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { HealthController } from './health.controller';
import { MlflowExceptionFilter } from './mlflow-exception.filter';
import { MlflowValidationPipe } from './mlflow-validation.pipe';

/**
 * The filter and pipe as DI providers (so e2e tests run exactly what production runs) plus
 * /health and /version. Imported once by each app's root module.
 */
@Module({
  controllers: [HealthController],
  providers: [
    { provide: APP_FILTER, useClass: MlflowExceptionFilter },
    { provide: APP_PIPE, useClass: MlflowValidationPipe },
  ],
})
export class MlflowHttpModule {}
