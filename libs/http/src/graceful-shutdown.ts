import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { finalize, Observable } from 'rxjs';

import { ServiceLogger } from './service-logger';

/**
 * Requests not yet done: a request is done when its response has closed (sent, or its socket
 * gone) and its handler has settled, so an aborted upload has removed its temp file by then.
 */
export class InFlightRequests implements NestInterceptor {
  private responses = 0;
  private handlers = 0;
  private idle: (() => void)[] = [];

  /** Counts every response of the app (from routing on, 404s included). */
  track(app: NestFastifyApplication): void {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', async (_request, reply) => {
        this.responses += 1;
        reply.raw.once('close', () => {
          this.responses -= 1;
          this.check();
        });
      });
    app.useGlobalInterceptors(this);
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.handlers += 1;
    return next.handle().pipe(
      finalize(() => {
        this.handlers -= 1;
        this.check();
      }),
    );
  }

  get count(): number {
    return Math.max(this.responses, this.handlers);
  }

  whenIdle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private check(): void {
    if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}

const CONTEXT = 'Shutdown';

/**
 * SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish for up to
 * `deadlineSeconds`, then cut the connections of those left (their handlers clean up: an aborted
 * upload leaves no temp file), close the stores and their pools, and exit: 0 when every request
 * finished, 1 when some had to be aborted. A second signal aborts at once. Each step is logged.
 */
export function shutDownOnSignals(
  app: NestFastifyApplication,
  inFlight: InFlightRequests,
  logger: ServiceLogger,
  deadlineSeconds: number,
): void {
  let abort: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (abort) {
      logger.announce(`${signal} again: aborting now`, CONTEXT);
      abort();
      return;
    }
    let aborted = 0;
    const server = app.getHttpServer();
    const deadline = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, deadlineSeconds * 1000);
      abort = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    logger.announce(
      `${signal}: no longer accepting connections; waiting up to ${deadlineSeconds} s for ${inFlight.count} in-flight requests`,
      CONTEXT,
      { signal, in_flight: inFlight.count, deadline_seconds: deadlineSeconds },
    );
    server.close();
    server.closeIdleConnections();
    void (async () => {
      const drained = await Promise.race([
        inFlight.whenIdle().then(() => true),
        deadline.then(() => false),
      ]);
      if (drained) {
        logger.announce('in-flight requests finished', CONTEXT);
      } else {
        aborted = inFlight.count;
        logger.warn({ msg: `deadline reached: aborting ${aborted} requests`, aborted }, CONTEXT);
        server.closeAllConnections();
        // A handler stuck past its socket (waiting on a store) is not waited for forever.
        const settled = await Promise.race([
          inFlight.whenIdle().then(() => true),
          delay(ABORT_GRACE_MS).then(() => false),
        ]);
        logger.announce(
          settled ? 'aborted requests cleaned up' : 'aborted requests still running',
          CONTEXT,
        );
      }
      server.closeIdleConnections();
      try {
        await app.close();
        logger.announce('closed the backend and artifact stores and their pools', CONTEXT);
      } catch (error) {
        logger.error({ msg: 'closing the stores failed', err: error }, CONTEXT);
        aborted = Math.max(aborted, 1);
      }
      logger.announce(`exiting with ${aborted === 0 ? 0 : 1}`, CONTEXT);
      process.exit(aborted === 0 ? 0 : 1);
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

const ABORT_GRACE_MS = 5000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
