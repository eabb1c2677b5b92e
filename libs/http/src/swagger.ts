import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { refineOpenApiDocument } from './openapi-document';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, on every app. */
export function setupSwagger(app: INestApplication, title: string, serverUrl?: string): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(swaggerIntro(title))
    .setVersion(SUITE_VERSION)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .build();
  const document = refineOpenApiDocument(SwaggerModule.createDocument(app, config), { serverUrl });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}

/** The MLflow version we are wire-compatible with, reported by /version. */
export const MLFLOW_COMPATIBLE_VERSION = '2.17.2';
export const SUITE_VERSION = '0.1.0';

/** The landing text of Swagger UI: what this service is and how to point the MLflow client at it. */
function swaggerIntro(title: string): string {
  return [
    `**${title}**: the MLflow-compatible REST API of the FLOps MLOps suite. An MLflow experiment is a FLOps project; an MLflow run is a training round.`,
    '',
    'Point the unmodified MLflow client at this server with `MLFLOW_TRACKING_URI=http://<host>:<port>` (Python `mlflow.set_tracking_uri(...)`). In a split deployment, tracking, the model registry and the artifact proxy each serve their own part of this API and their own `/docs`; the suite serves all of it on one port.',
    '',
    "Every `/api/2.0/...` route is also served under `/ajax-api/2.0/...` (the MLflow web UI's prefix), identically; it is listed once. The exceptions are the users, permissions, tokens and audit routes, served under `/api/2.0` only, as MLflow's auth app does. Errors are `{error_code, message}` with MLflow's status codes; 503 carries `Retry-After`. int64 fields (timestamps, steps) are accepted as JSON numbers or decimal strings.",
    '',
    'The OpenAPI document is at `/docs-json` (`/docs-yaml`).',
  ].join('\n');
}
