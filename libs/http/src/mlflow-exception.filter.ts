import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorCode, MlflowError } from '@app/domain';
import type { FastifyReply } from 'fastify';
import { ERROR_CODE_TO_HTTP_STATUS } from './error-status';

interface ErrorBody {
  error_code: ErrorCode;
  message: string;
}

const TRANSIENT_DRIVER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * Every error leaves as MLflow's `{error_code, message}` with MLflow's status. Unknown routes are
 * ENDPOINT_NOT_FOUND (the Python client's fallbacks depend on it); a database that went away is
 * TEMPORARILY_UNAVAILABLE with Retry-After; anything else is logged and answered with a generic
 * INTERNAL_ERROR that never carries driver text, SQL or paths.
 */
@Catch()
export class MlflowExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('MlflowExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, retryAfter } = this.toResponse(exception);
    if (reply.sent) return;
    if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    void reply.status(status).header('Content-Type', 'application/json').send(JSON.stringify(body));
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
    if (exception instanceof MlflowError) {
      const status = ERROR_CODE_TO_HTTP_STATUS[exception.code];
      const retryAfter =
        exception.retryAfterSeconds ?? (status === 503 || status === 429 ? 5 : undefined);
      return {
        status,
        body: { error_code: exception.code, message: exception.message },
        retryAfter,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return {
          status,
          body: {
            error_code: 'ENDPOINT_NOT_FOUND',
            message: 'The requested endpoint was not found.',
          },
        };
      }
      return { status, body: { error_code: codeForStatus(status), message: exception.message } };
    }
    const fastifyStatus = (exception as { statusCode?: number }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return {
        status: fastifyStatus,
        body: { error_code: codeForStatus(fastifyStatus), message: safeMessage(exception) },
      };
    }
    if (isTransientDriverError(exception)) {
      this.logger.warn(`Backend store unavailable: ${driverCode(exception)}`);
      return {
        status: 503,
        body: {
          error_code: 'TEMPORARILY_UNAVAILABLE',
          message: 'The backend store is temporarily unavailable. Retry later.',
        },
        retryAfter: 5,
      };
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return {
      status: 500,
      body: { error_code: 'INTERNAL_ERROR', message: 'Internal server error.' },
    };
  }
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'ENDPOINT_NOT_FOUND';
    case 409:
      return 'ALREADY_EXISTS';
    case 413:
    case 400:
      return 'INVALID_PARAMETER_VALUE';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    default:
      return 'BAD_REQUEST';
  }
}

function safeMessage(exception: unknown): string {
  const code = (exception as { code?: string }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'Request body is too large.';
  return 'Bad request.';
}

function driverCode(exception: unknown): string {
  const e = exception as { code?: string; driverError?: { code?: string } };
  return e.driverError?.code ?? e.code ?? 'unknown';
}

function isTransientDriverError(exception: unknown): boolean {
  return TRANSIENT_DRIVER_CODES.has(driverCode(exception));
}
