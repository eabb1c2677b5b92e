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

describe(ServiceLogger.name, () => {
  it('prints none of Nest boot lines, only the announced one, without colours', async () => {
    const logger = new ServiceLogger({ colors: false });
    const { out, err } = await capture(async () => {
      const app = await NestFactory.create(ProbeModule, new FastifyAdapter(), { logger });
      await app.init();
      logger.announce('Listening on http://127.0.0.1:1', 'probe service');
      await app.close();
    });
    expect(err).toBe('');
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toContain('[probe service] Listening on http://127.0.0.1:1');
    expect(out).not.toMatch(/Mapped|RoutesResolver|RouterExplorer|InstanceLoader|NestFactory/);
    expect(out).not.toContain(ESCAPE);
  });

  it('still prints warnings and errors', async () => {
    const logger = new ServiceLogger({ colors: false });
    const { out, err } = await capture(() => {
      Logger.overrideLogger(logger);
      new Logger('store').warn('pool exhausted');
      new Logger('filter').error('boom');
      new Logger('store').log('ready');
    });
    expect(out).toContain('[store] pool exhausted');
    expect(out).not.toContain('ready');
    expect(err).toContain('[filter] boom');
  });

  it('colours on a terminal', async () => {
    const noColor = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const { out } = await capture(() => new ServiceLogger({ colors: true }).announce('up', 'x'));
      expect(out).toContain(ESCAPE);
    } finally {
      if (noColor !== undefined) process.env.NO_COLOR = noColor;
    }
  });
});

describe(serviceLogger.name, () => {
  it('does not colour when stdout is not a terminal', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: undefined, configurable: true });
    try {
      const { out } = await capture(() => serviceLogger().announce('up', 'x'));
      expect(out).toContain('[x] up');
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
