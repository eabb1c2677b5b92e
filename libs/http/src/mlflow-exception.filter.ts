import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ErrorCode, MlflowError } from '@app/domain';

import { ERROR_CODE_TO_HTTP_STATUS } from './error-status';
import { withNumbersAsWritten } from './number-literals';

/** What a 401 offers: MLflow's Basic realm (its client and browsers know it) and bearer tokens. */
const AUTHENTICATION_CHALLENGES = ['Basic realm="mlflow"', 'Bearer realm="mlflow"'];

interface ErrorBody {
  error_code: ErrorCode;
  message: string;
}

/**
 * Every error leaves as MLflow's `{error_code, message}` with MLflow's status. Unknown routes are
 * ENDPOINT_NOT_FOUND (the Python client's fallbacks depend on it); a store that went away is the
 * stores' TEMPORARILY_UNAVAILABLE with Retry-After, logged as a warning; anything else is logged and answered with a generic
 * INTERNAL_ERROR that never carries driver text, SQL or paths.
 */
@Catch()
export class MlflowExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('MlflowExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    const { status, body, retryAfter } = this.toResponse(
      withNumbersAsWritten(exception, request?.body),
      request?.id,
    );
    if (reply.sent) return;
    if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    if (status === 401) void reply.header('WWW-Authenticate', AUTHENTICATION_CHALLENGES);
    void reply.status(status).header('Content-Type', 'application/json').send(JSON.stringify(body));
  }

  toResponse(
    exception: unknown,
    requestId?: string,
  ): { status: number; body: ErrorBody; retryAfter?: number } {
    if (exception instanceof MlflowError) {
      const status = ERROR_CODE_TO_HTTP_STATUS[exception.code];
      if (exception.code === 'TEMPORARILY_UNAVAILABLE') {
        this.logger.warn({
          msg: `${exception.message} (${causeCode(exception.cause)})`,
          request_id: requestId,
        });
      }
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
    // One entry with the cause and its stack as fields (see ServiceLogger), tied to the access line.
    this.logger.error({ msg: 'Unhandled error', request_id: requestId, err: exception });
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

/** The driver or system error code under a wrapped error: an operator's clue, never a secret. */
function causeCode(cause: unknown): string {
  const e = cause as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : 'no cause code';
}
