import { Controller, Get, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

import { loadEnv, ServerEnv } from '@app/config';

import { ServiceLogger, serviceLogger, startupLine } from './service-logger';

@Controller('probe')
class ProbeController {
  @Get()
  probe(): string {
    return 'ok';
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const ESCAPE = '\x1b[';

/** Everything written to stdout and stderr while `run` runs, not passed through. */
async function capture(run: () => Promise<void> | void): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return { out: out.join(''), err: err.join('') };
}

function entries(out: string): Record<string, unknown>[] {
  return out
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe(ServiceLogger.name, () => {
  it('prints none of Nest boot lines at info, only the announced one, as one JSON line', async () => {
    const logger = serviceLogger({ level: 'info', format: 'json' });
    const { out, err } = await capture(async () => {
      const app = await NestFactory.create(ProbeModule, new FastifyAdapter(), { logger });
      await app.init();
      logger.announce('Listening on http://127.0.0.1:1', 'probe service');
      await app.close();
    });
    expect(err).toBe('');
    expect(entries(out)).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'probe service',
        msg: 'Listening on http://127.0.0.1:1',
      }),
    ]);
    expect(out).not.toMatch(/Mapped|RoutesResolver|RouterExplorer|InstanceLoader|NestFactory/);
    expect(out).not.toContain(ESCAPE);
  });

  it('prints warnings and errors, an error with its stack and cause as fields of one line', async () => {
    const logger = serviceLogger({ level: 'info', format: 'json' });
    const { out } = await capture(() => {
      Logger.overrideLogger(logger);
      new Logger('store').warn('pool exhausted');
      const cause = Object.assign(new Error('connect ECONNREFUSED ftp://u:Sup3rSecret@h/'), {
        code: 'ECONNREFUSED',
        sql: 'SELECT secret',
      });
      new Logger('filter').error({ msg: 'Unhandled error', err: new Error('boom', { cause }) });
      new Logger('store').log('ready');
    });
    const [warning, error, ...rest] = entries(out);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ level: 'warn', context: 'store', msg: 'pool exhausted' });
    expect(error).toMatchObject({
      level: 'error',
      context: 'filter',
      msg: 'Unhandled error',
      err: {
        type: 'Error',
        message: 'boom',
        stack: expect.stringContaining('service-logger.spec.ts'),
        cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ftp://***@h/' },
      },
    });
    expect(out).not.toMatch(/Sup3rSecret|SELECT secret/);
  });

  it('is pretty and coloured on a terminal', async () => {
    const noColor = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    try {
      const { out } = await capture(() => serviceLogger().announce('up', 'x'));
      expect(out).toContain(ESCAPE);
      expect(out).toContain('up');
      expect(() => JSON.parse(out)).toThrow();
    } finally {
      if (noColor !== undefined) process.env.NO_COLOR = noColor;
      if (descriptor) Object.defineProperty(process.stdout, 'isTTY', descriptor);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});

describe(serviceLogger.name, () => {
  it('writes JSON lines when stdout is not a terminal', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: undefined, configurable: true });
    try {
      const { out } = await capture(() => serviceLogger().announce('up', 'x'));
      expect(entries(out)).toEqual([expect.objectContaining({ context: 'x', msg: 'up' })]);
      expect(out).not.toContain(ESCAPE);
    } finally {
      if (descriptor) Object.defineProperty(process.stdout, 'isTTY', descriptor);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});

describe(startupLine.name, () => {
  it('names the address and both stores with their credentials hidden', () => {
    const config = loadEnv(ServerEnv, {
      HOST: '0.0.0.0',
      PORT: '5001',
      BACKEND_STORE_URI: 'mysql+pymysql://root:p@ss/w0rd@db:3306/mlflow',
      ARTIFACTS_DESTINATION: 'sftp://flops:Sup3rSecret@files:22/artifacts',
    });
    const line = startupLine(config);
    expect(line).toBe(
      'version 0.1.0, listening on http://0.0.0.0:5001 (Swagger UI at /docs); ' +
        'backend store mysql+pymysql://***@db:3306/mlflow; artifacts sftp://***@files:22/artifacts',
    );
    expect(line).not.toMatch(/p@ss|w0rd|Sup3rSecret|root|flops/);
  });

  it('brackets an IPv6 listen address', () => {
    expect(startupLine(loadEnv(ServerEnv, { HOST: '::', PORT: '5000' }))).toMatch(
      /^version 0\.1\.0, listening on http:\/\/\[::\]:5000 /,
    );
  });
});
