import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, on every app. */
export function setupSwagger(app: INestApplication, title: string): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(
      'MLflow-compatible REST API of the FLOps MLOps suite. Every /api/2.0 route is also served ' +
        'under /ajax-api/2.0. An MLflow experiment is a FLOps project; an MLflow run is a training round.',
    )
    .setVersion(SUITE_VERSION)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}

/** The MLflow version we are wire-compatible with, reported by /version. */
export const MLFLOW_COMPATIBLE_VERSION = '2.17.2';
export const SUITE_VERSION = '0.1.0';
