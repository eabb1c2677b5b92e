import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

import {
  authSettings,
  ConfigurationError,
  loadEnv,
  operationsSettings,
  ServerEnv,
} from '@app/config';

import { AccessModule } from './access';
import { configureMlflowApp, createFastifyAdapter } from './http-app';
import { MlflowHttpModule } from './mlflow-http.module';
import { OperationsModule } from './operations';
import { serviceLogger, startupLine } from './service-logger';

/**
 * One deployable (suite, tracking, model registry, artifact proxy): what its `main.ts` boots and
 * what the e2e tests mount. The HTTP layer (filter, pipe, /health, parsers, Swagger) is added here,
 * once; the service names only its own modules.
 */
export interface MlflowService<E extends ServerEnv = ServerEnv> {
  /** Swagger title and the name in the startup line. */
  readonly name: string;
  /** The root module class, an empty `@Module({})`. */
  readonly module: Type;
  /** Its environment class (`config/env.ts`). */
  readonly env: new () => E;
  /** The store and feature modules it mounts, from the validated environment. */
  imports(config: E): NonNullable<DynamicModule['imports']>;
}

/** The service's root module over this environment (validated here, failing on any bad variable). */
export function mlflowServiceModule<E extends ServerEnv>(
  service: MlflowService<E>,
  env?: NodeJS.ProcessEnv,
): DynamicModule {
  return rootModule(service, loadEnv(service.env, env));
}

/**
 * `main.ts`: validates the environment, starts the service on HOST:PORT and prints one startup
 * line; after that, only warnings and errors.
 */
export async function bootstrapMlflowService<E extends ServerEnv>(
  service: MlflowService<E>,
  env?: NodeJS.ProcessEnv,
): Promise<NestFastifyApplication> {
  const config = loadEnv(service.env, env);
  const logger = serviceLogger();
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(service, config),
    createFastifyAdapter(),
    { bodyParser: false, logger },
  );
  configureMlflowApp(app, service.name, publicUrl(config));
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  logger.announce(startupLine(config), service.name);
  return app;
}

/**
 * A deployable's main: boots the service, and on failure prints why and exits 1. A bad
 * environment is one message naming each bad variable, with no stack trace; anything else is
 * logged with its stack.
 */
export function runMlflowService<E extends ServerEnv>(
  service: MlflowService<E>,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  return bootstrapMlflowService(service, env).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof ConfigurationError) {
        process.stderr.write(`[${service.name}] ${error.message}\n`);
      } else {
        serviceLogger().error(
          error instanceof Error ? (error.stack ?? error.message) : String(error),
          service.name,
        );
      }
      process.exitCode = 1;
    },
  );
}

/**
 * Where clients reach the service: PUBLIC_URL when set (behind a proxy or an Oakestra service IP),
 * else the listen address unless it is a wildcard, which names no host a client could call.
 */
function publicUrl(config: ServerEnv): string | undefined {
  if (config.PUBLIC_URL) return config.PUBLIC_URL;
  if (config.HOST === '0.0.0.0' || config.HOST === '::') return undefined;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}

function rootModule<E extends ServerEnv>(service: MlflowService<E>, config: E): DynamicModule {
  return {
    module: service.module,
    imports: [
      MlflowHttpModule,
      AccessModule.register(authSettings(config)),
      OperationsModule.register(operationsSettings(config)),
      ...service.imports(config),
    ],
  };
}
