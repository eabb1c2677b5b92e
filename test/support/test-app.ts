import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';

import {
  configureMlflowApp,
  createFastifyAdapter,
  MlflowService,
  mlflowServiceModule,
} from '@app/http';
import { createDataSource, prepareSchema } from '@app/persistence';

import { SUITE_SERVICE } from '../../apps/suite/src/suite.module';
import { Backend } from './backends';
import { createScratchDatabase } from './mysql';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  backend: Backend;
  backendStoreUri: string;
  /** Local artifact root of this app (when the artifact store is local). */
  workDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment for the app (e.g. ARTIFACTS_DESTINATION). */
  env?: Record<string, string>;
  /** The service to mount; the suite by default. */
  service?: MlflowService;
  /**
   * A migrated database shared with other apps (split services): used as is, not dropped on
   * close. By default each app gets a fresh database of its backend.
   */
  backendStoreUri?: string;
}

/**
 * A real suite app over a freshly migrated database: a temp SQLite file, or a scratch MariaDB
 * database created for this app and dropped on close. The filter, pipe and parsers are the
 * production ones.
 */
export async function createTestApp(
  backend: Backend,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const workDir = mkdtempSync(join(tmpdir(), 'flops-e2e-'));
  let backendStoreUri: string;
  let dropDatabase = async () => undefined as void;
  if (options.backendStoreUri !== undefined) {
    backendStoreUri = options.backendStoreUri;
  } else if (backend === 'sqlite') {
    backendStoreUri = `sqlite:///${join(workDir, 'mlflow.db')}`;
  } else {
    const db = await createScratchDatabase('flops_e2e');
    backendStoreUri = db.uri;
    dropDatabase = db.drop;
    await migrate(backendStoreUri);
  }
  const env: NodeJS.ProcessEnv = {
    BACKEND_STORE_URI: backendStoreUri,
    ARTIFACTS_DESTINATION: `file:${join(workDir, 'artifacts')}`,
    // The web UI only where a spec asks for it: the rest measure the API alone.
    WEB_UI_ENABLED: 'false',
    ...options.env,
  };
  const service = options.service ?? SUITE_SERVICE;
  const root = mlflowServiceModule(service, env);
  const moduleRef = await Test.createTestingModule({ imports: [root] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  configureMlflowApp(app, service.name);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: request(app.getHttpServer()),
    backend,
    backendStoreUri,
    workDir,
    close: async () => {
      await app.close();
      await dropDatabase();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** `npm run migrate` in-process: what the deploy job does before services start on MySQL. */
export async function migrate(backendStoreUri: string): Promise<void> {
  const dataSource = createDataSource({ backendStoreUri });
  await dataSource.initialize();
  try {
    await prepareSchema(dataSource, true);
  } finally {
    await dataSource.destroy();
  }
}

/** A request with exactly these headers and this payload (supertest adds content types of its own). */
export async function rawRequest(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  payload?: string | Buffer,
): Promise<{ status: number; body: unknown; text: string; headers: Record<string, unknown> }> {
  const response = await t.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  let body: unknown = response.body;
  try {
    body = JSON.parse(response.body);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, body, text: response.body, headers: response.headers };
}
