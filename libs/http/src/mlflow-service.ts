import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

import {
  authSettings,
  ConfigurationError,
  httpSettings,
  loadEnv,
  operationsSettings,
  ServerEnv,
  unvalidatedLogFormat,
} from '@app/config';

import { AccessModule } from './access';
import { InFlightRequests, shutDownOnSignals } from './graceful-shutdown';
import { configureMlflowApp, createFastifyAdapter } from './http-app';
import { MlflowHttpModule } from './mlflow-http.module';
import { OperationsModule } from './operations';
import { logSettings, ServiceLogger, serviceLogger, startupLine } from './service-logger';

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
 * line; after that, one access line per request, warnings and errors (LOG_LEVEL). With
 * `shutDownOnSignals`, SIGTERM/SIGINT drain it within SHUTDOWN_DEADLINE_SECONDS and exit.
 */
export async function bootstrapMlflowService<E extends ServerEnv>(
  service: MlflowService<E>,
  env?: NodeJS.ProcessEnv,
  options: { shutDownOnSignals?: boolean } = {},
): Promise<NestFastifyApplication> {
  const config = loadEnv(service.env, env);
  const logger = serviceLogger(logSettings(config));
  const http = httpSettings(config);
  const root = rootModule(service, config);
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    createFastifyAdapter(http),
    // A failed boot is thrown to runMlflowService, which logs it on one line, not Nest's abort.
    { bodyParser: false, logger, abortOnError: false },
  );
  configureMlflowApp(app, service.name, publicUrl(config), http, logger.pino);
  const inFlight = new InFlightRequests();
  inFlight.track(app);
  if (options.shutDownOnSignals) {
    shutDownOnSignals(app, inFlight, logger, config.SHUTDOWN_DEADLINE_SECONDS);
  }
  await app.listen(config.PORT, config.HOST);
  logger.announce(startupLine(config), service.name);
  return app;
}

/**
 * A deployable's main: boots the service with graceful shutdown, and on failure logs why (one
 * entry: a bad environment as its list of problems, anything else with its cause and stack) and
 * exits 1.
 */
export function runMlflowService<E extends ServerEnv>(
  service: MlflowService<E>,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  return bootstrapMlflowService(service, env, { shutDownOnSignals: true }).then(
    () => undefined,
    (error: unknown) => {
      bootFailureLogger(env).fatal(
        error instanceof ConfigurationError
          ? { msg: 'Invalid configuration', problems: error.problems }
          : { msg: 'Boot failed', err: error },
        service.name,
      );
      process.exitCode = 1;
    },
  );
}

/** The environment may be what failed: its log settings are used only when they are valid. */
function bootFailureLogger(env: NodeJS.ProcessEnv | undefined): ServiceLogger {
  return serviceLogger({ level: 'info', format: unvalidatedLogFormat(env) });
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
