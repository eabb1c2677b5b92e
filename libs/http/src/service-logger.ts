import { ConsoleLogger } from '@nestjs/common';

import { DEFAULT_ARTIFACTS_DESTINATION, ServerEnv } from '@app/config';
import { redactUri } from '@app/domain';

import { SUITE_VERSION } from './swagger';

/**
 * The logger of every service: warnings and errors, and {@link announce} for the one startup line.
 * Nest's own boot messages (NestFactory, InstanceLoader, RoutesResolver, "Mapped {…} route") are
 * `log` level, so none of them is printed.
 */
export class ServiceLogger extends ConsoleLogger {
  constructor(options: { colors: boolean }) {
    super({ logLevels: ['fatal', 'error', 'warn'], colors: options.colors });
  }

  /** Prints one `log`-level line whatever the enabled levels: the service's startup line. */
  announce(message: string, context: string): void {
    this.printMessages([message], context, 'log');
  }
}

/** A {@link ServiceLogger} that colours only when it writes to a terminal. */
export function serviceLogger(): ServiceLogger {
  // One option colours both streams: errors go to stderr, everything else to stdout.
  return new ServiceLogger({
    colors: process.stdout.isTTY === true && process.stderr.isTTY === true,
  });
}

/** The startup line: where the service listens and which stores it opened, credentials hidden. */
export function startupLine(config: ServerEnv): string {
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return (
    `version ${SUITE_VERSION}, listening on http://${host}:${config.PORT} (Swagger UI at /docs); ` +
    `backend store ${redactUri(config.BACKEND_STORE_URI)}; ` +
    (config.ARTIFACT_PROXY_URL !== undefined
      ? `artifacts via the artifact proxy ${config.ARTIFACT_PROXY_URL}`
      : `artifacts ${redactUri(config.ARTIFACTS_DESTINATION ?? DEFAULT_ARTIFACTS_DESTINATION)}`)
  );
}
