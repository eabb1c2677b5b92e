import { LoggerService } from '@nestjs/common';
import pino, { Level, Logger as Pino } from 'pino';
import pinoPretty from 'pino-pretty';

import { DEFAULT_ARTIFACTS_DESTINATION, ServerEnv } from '@app/config';
import { redactUri } from '@app/domain';

import { SUITE_VERSION } from './swagger';

export interface LogSettings {
  /** pino's level: `info` by default. */
  level: string;
  /** Unset: pretty on a terminal, JSON lines otherwise. */
  format?: string;
}

export function logSettings(config: ServerEnv): LogSettings {
  return { level: config.LOG_LEVEL, format: config.LOG_FORMAT };
}

/**
 * Pino over stdout: JSON lines (an error's stack is a field, so every entry is one line), or
 * pino-pretty's coloured lines for a person at a terminal. Written synchronously through
 * `process.stdout`, so nothing is lost when the process exits right after.
 */
export function rootLogger(settings: LogSettings): Pino {
  const tty = process.stdout.isTTY === true;
  const options: pino.LoggerOptions = {
    level: settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorFields },
  };
  const pretty = settings.format === 'pretty' || (settings.format === undefined && tty);
  if (!pretty) return pino(options, process.stdout);
  return pino(
    options,
    pinoPretty({ colorize: tty, sync: true, destination: process.stdout, singleLine: false }),
  );
}

interface ErrorFields {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: ErrorFields;
}

/**
 * What a log keeps of an error: its class, message, code, stack and cause, never its other
 * properties (a driver error carries the SQL and its parameters).
 */
export function errorFields(error: unknown, depth = 0): ErrorFields {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  const fields: ErrorFields = {
    type: error.name,
    message: hideUserInfo(error.message),
    code: typeof code === 'string' ? code : undefined,
    stack: error.stack === undefined ? undefined : hideUserInfo(error.stack),
  };
  if (error.cause !== undefined && depth < 3) fields.cause = errorFields(error.cause, depth + 1);
  return fields;
}

const USER_INFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/@]+@/g;

/** A driver or client message may quote a URI with its password: `ftp://***@host/`. */
function hideUserInfo(text: string): string {
  return text.replace(USER_INFO, '$1***@');
}

const NEST_LEVELS: Record<string, Level> = {
  // Nest's own boot messages (NestFactory, InstanceLoader, RoutesResolver, "Mapped {…} route")
  // are `log`: debug here, so an `info` service prints only its startup line.
  log: 'debug',
  verbose: 'trace',
  debug: 'debug',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/**
 * The logger of every service, Nest's and ours: one pino logger whose entries carry their Nest
 * context; {@link announce} prints the one startup line.
 */
export class ServiceLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** An `info` line: the service's startup line and its shutdown steps. */
  announce(message: string, context: string, fields?: Record<string, unknown>): void {
    this.pino.info({ context, ...fields }, message);
  }

  /**
   * Nest calls `(message, context)`, or `(message, stack, context)` for errors; a message may be
   * an Error or an object of fields with `msg`.
   */
  private write(nestLevel: string, message: unknown, params: unknown[]): void {
    const level = NEST_LEVELS[nestLevel];
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...fields } = message as { msg?: unknown };
      this.pino[level]({ context, ...fields }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.pino[level]({ context, stack }, String(message));
    }
  }
}

/** A {@link ServiceLogger} for tools (the migrate job): `info`, pretty only on a terminal. */
export function serviceLogger(settings: LogSettings = { level: 'info' }): ServiceLogger {
  return new ServiceLogger(rootLogger(settings));
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
