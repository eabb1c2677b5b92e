import { Logger, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { isWebUiRoute } from '@app/http';

import { createTestApp, TestApp } from '../../support/test-app';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; summary?: string }>>;
}

/** Every route the suite serves, read from the controllers' own metadata. */
function servedRoutes(t: TestApp): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prefixes = ([] as string[]).concat(
        Reflect.getMetadata(PATH_METADATA, controller) ?? '',
      );
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || paths === undefined) continue;
        for (const prefix of prefixes) {
          for (const path of ([] as string[]).concat(paths)) {
            const full = `/${[prefix, path].filter((p) => p && p !== '/').join('/')}`.replace(
              /\/+/g,
              '/',
            );
            routes.push({
              method: RequestMethod[method].toLowerCase(),
              path: full.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}'),
            });
          }
        }
      }
    }
  }
  return routes;
}

describe('OpenAPI and Swagger UI on the suite', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });

  afterAll(async () => {
    await t.close();
  });

  it('renders Swagger UI at /docs', async () => {
    const res = await t.http.get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('describes every served route, with a summary and a 2xx response, in /docs-json', async () => {
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    const document = res.body as OpenApiDocument;
    // The web UI's pages and files are not API operations.
    const routes = servedRoutes(t).filter((r) => !isWebUiRoute(r.path));
    expect(routes.length).toBeGreaterThan(20);
    // The /ajax-api/2.0 mirror of an /api/2.0 route is served but listed once, under /api/2.0.
    const listed = routes.filter(
      (r) =>
        !r.path.startsWith('/ajax-api/') ||
        !routes.some(
          (o) => o.method === r.method && o.path === r.path.replace('/ajax-api/', '/api/'),
        ),
    );
    const missing = listed.filter((r) => !document.paths[r.path]?.[r.method]);
    expect(missing).toEqual([]);
    const undocumented = listed.filter((r) => {
      const operation = document.paths[r.path][r.method];
      return (
        !operation.summary ||
        !Object.keys(operation.responses ?? {}).some((code) => code.startsWith('2'))
      );
    });
    expect(undocumented).toEqual([]);
  });

  it('names every operation after its MLflow RPC, once, with MLflow errors and a server', async () => {
    const document = (await t.http.get('/docs-json')).body as OpenApiDocument & {
      servers: { url: string }[];
    };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item)) as {
      operationId?: string;
      responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    }[];
    const ids = operations.map((o) => o.operationId ?? '');
    // MLflow's RPC names, versions included (startTraceV3).
    expect(ids.filter((id) => !/^[a-z][A-Za-z]+(V\d)?$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['createExperiment', 'logBatch', 'searchRuns', 'uploadArtifact']),
    );
    for (const operation of operations) {
      for (const status of ['400', '404', '500', '503']) {
        expect(operation.responses?.[status]?.content?.['application/json']?.schema?.$ref).toBe(
          '#/components/schemas/ErrorResponse',
        );
      }
    }
    expect(document.servers.length).toBeGreaterThan(0);
    const tags = (document as unknown as { tags: { name: string; description?: string }[] }).tags;
    expect(tags.filter((tag) => !tag.description)).toEqual([]);
    expect(Object.keys(document.paths).filter((p) => p.startsWith('/ajax-api/'))).toEqual([
      '/ajax-api/2.0/mlflow/get-trace-artifact',
      '/ajax-api/2.0/mlflow/experiments/search-datasets',
      '/ajax-api/2.0/mlflow/metrics/get-history-bulk',
      '/ajax-api/2.0/mlflow/upload-artifact',
      '/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files',
      '/ajax-api/2.0/mlflow/runs/create-promptlab-run',
      '/ajax-api/2.0/mlflow/gateway-proxy',
    ]);
  });

  it('declares Basic and bearer credentials on every operation but the probes and /metrics, with 401, 403 and 429', async () => {
    const document = (await t.http.get('/docs-json')).body as OpenApiDocument & {
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(document.components.securitySchemes).toEqual({
      basic: expect.objectContaining({ type: 'http', scheme: 'basic' }),
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    const unprotected: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item) as [
        string,
        { security?: Record<string, string[]>[]; responses?: Record<string, unknown> },
      ][]) {
        if (operation.security?.length) {
          expect(operation.security).toEqual([{ basic: [] }, { bearer: [] }]);
          expect(Object.keys(operation.responses ?? {})).toEqual(
            expect.arrayContaining(['401', '403', '429']),
          );
        } else {
          expect(operation.security).toEqual([]);
          unprotected.push(`${method.toUpperCase()} ${path}`);
        }
      }
    }
    // /metrics takes its own optional METRICS_TOKEN, outside the users' credentials.
    expect(unprotected).toEqual(['GET /health', 'GET /health/ready', 'GET /metrics']);
  });

  it('documents request bodies with MLflow field names', async () => {
    const res = await t.http.get('/docs-json');
    const schemas = (
      res.body as {
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      }
    ).components.schemas;
    expect(Object.keys(schemas.CreateExperimentRequestDto.properties ?? {})).toEqual(
      expect.arrayContaining(['name', 'artifact_location', 'tags']),
    );
  });

  it('gives each DTO class its own schema name (no "Duplicate DTO" warning)', async () => {
    const warn = jest.spyOn(Logger, 'warn').mockImplementation(() => undefined);
    try {
      SwaggerModule.createDocument(t.app, new DocumentBuilder().build());
      expect(warn.mock.calls.filter(([message]) => /Duplicate DTO/.test(String(message)))).toEqual(
        [],
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('documents both artifact listings with their own shapes', async () => {
    const res = await t.http.get('/docs-json');
    const document = res.body as OpenApiDocument & {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const okSchema = (path: string) =>
      (
        document.paths[path].get.responses?.['200'] as {
          content: Record<string, { schema: { $ref: string } }>;
        }
      ).content['application/json'].schema.$ref;
    expect(okSchema('/api/2.0/mlflow/artifacts/list')).toBe(
      '#/components/schemas/ListArtifactsResponseDto',
    );
    expect(okSchema('/api/2.0/mlflow-artifacts/artifacts')).toBe(
      '#/components/schemas/ListArtifactsMlflowArtifactsResponseDto',
    );
    const { schemas } = document.components;
    expect(Object.keys(schemas.ListArtifactsResponseDto.properties ?? {}).sort()).toEqual([
      'files',
      'root_uri',
    ]);
    expect(Object.keys(schemas.ListArtifactsMlflowArtifactsResponseDto.properties ?? {})).toEqual([
      'files',
    ]);
  });

  it("documents FLOps promotion: the project's path parameter, the request fields and the lineage shapes", async () => {
    const document = (await t.http.get('/docs-json')).body as OpenApiDocument & {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    type Operation = {
      operationId?: string;
      tags?: string[];
      parameters?: { name: string; in: string }[];
      responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    };
    const operation = (path: string, method: string) =>
      (document.paths[path] as unknown as Record<string, Operation>)[method];
    const register = operation('/api/2.0/flops/projects/{experiment_id}/register-model', 'post');
    const lineage = operation('/api/2.0/flops/projects/{experiment_id}/lineage', 'get');
    expect([register.operationId, lineage.operationId]).toEqual([
      'registerFlopsProjectModel',
      'getFlopsProjectLineage',
    ]);
    for (const op of [register, lineage]) {
      expect(op.tags).toEqual(['FLOps promotion']);
      expect(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name)).toEqual([
        'experiment_id',
      ]);
    }
    expect(register.responses?.['200']?.content?.['application/json']?.schema?.$ref).toBe(
      '#/components/schemas/RegisterProjectModelResponseDto',
    );
    const { schemas } = document.components;
    expect(Object.keys(schemas.RegisterProjectModelRequestDto.properties ?? {}).sort()).toEqual([
      'alias',
      'archive_existing_versions',
      'name',
      'stage',
    ]);
    expect(Object.keys(schemas.FlopsLineageJsonDto.properties ?? {}).sort()).toEqual([
      'best_round',
      'best_round_metrics',
      'experiment_id',
      'model_round',
      'objective',
      'project_id',
    ]);
  });
});
