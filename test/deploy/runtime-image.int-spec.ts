import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

import { freePort } from '../support/free-port';
import { dockerfileStages, REPO, Stage, stageChain, stageEnv } from './deploy-files';

/**
 * No Docker engine runs here, so this replays the suite image's steps on the host: the runtime
 * stage's COPY and RUN (`npm ci --omit=dev`, from the registry) in a scratch folder outside the
 * repository, then the target's COPY of its dist from the build stage and its CMD. Nothing above
 * the scratch folder holds a node_modules, so the service starts with production dependencies
 * only, as it would in the image.
 */
const TARGET = 'suite';
const ADMIN = { username: 'admin', password: 'runtime-image-check-7Qx' };

describe(`the ${TARGET} image's runtime steps`, () => {
  const stages = dockerfileStages();
  const chain = stageChain(stages, TARGET);
  const build = stages.find((s) => s.name === 'build')!;
  const scratch = mkdtempSync(join(tmpdir(), 'runtime-image-'));
  let service: ChildProcess | undefined;
  let output = '';
  let port = 0;

  // npm ci from the registry on a shared 2-core machine has taken up to 9 minutes.
  beforeAll(async () => {
    // The build stage's product for this target (`npm run build` builds every app).
    execFileSync(join(REPO, 'node_modules', '.bin', 'nest'), ['build', TARGET], {
      cwd: REPO,
      stdio: 'pipe',
    });
    execFileSync('npm', ['run', '-s', 'build:web'], { cwd: REPO, stdio: 'pipe' });
    for (const stage of chain) replay(stage, build, scratch);
    port = await freePort();
  }, 1_200_000);

  afterAll(async () => {
    if (service?.exitCode === null) {
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs no dev dependency', () => {
    expect(existsSync(join(scratch, 'node_modules', 'better-sqlite3'))).toBe(true);
    for (const dev of ['@nestjs/cli', 'typescript', 'jest', 'dockerfile-ast', '@swc/core']) {
      expect([dev, existsSync(join(scratch, 'node_modules', dev))]).toEqual([dev, false]);
    }
    expect(existsSync(join(scratch, 'dist', 'apps', TARGET))).toBe(true);
    expect(existsSync(join(scratch, 'dist', 'apps', 'web', 'index.html'))).toBe(true);
    expect(existsSync(join(scratch, 'apps'))).toBe(false);
  });

  it('starts the service with the CMD and the ENV of the image, and it answers', async () => {
    const cmd = chain
      .flatMap((s) => s.steps)
      .filter((s) => s.keyword === 'CMD')
      .pop()?.exec;
    expect(cmd?.[0]).toBe('node');
    const env = {
      PATH: process.env.PATH ?? '',
      ...stageEnv(chain),
      // Loopback, because this machine is shared; the descriptors' AUTH_MODE and first admin.
      HOST: '127.0.0.1',
      PORT: String(port),
      BACKEND_STORE_URI: `sqlite:///${join(scratch, 'data', 'mlflow.db')}`,
      ARTIFACTS_DESTINATION: `file:${join(scratch, 'data', 'artifacts')}`,
      AUTH_MODE: 'basic',
      AUTH_ADMIN_USERNAME: ADMIN.username,
      AUTH_ADMIN_PASSWORD: ADMIN.password,
    };
    service = spawn(process.execPath, cmd!.slice(1), { cwd: scratch, env, stdio: 'pipe' });
    service.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const health = await untilAnswered(`http://127.0.0.1:${port}/health`, () => output);
    expect([health.status, await health.text()]).toEqual([200, 'OK']);

    const created = await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`,
      },
      body: JSON.stringify({ name: 'runtime-image' }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ experiment_id: expect.any(String) });

    // The image's web UI, found beside the service's own build.
    const ui = await fetch(`http://127.0.0.1:${port}/projects`, {
      headers: { accept: 'text/html' },
    });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root"></div>');
  });

  /** Retries while the service boots; fails at once if it exits. */
  async function untilAnswered(url: string, log: () => string): Promise<Response> {
    for (;;) {
      if (service?.exitCode !== null) {
        throw new Error(`the service exited (${service?.exitCode}):\n${log()}`);
      }
      try {
        return await fetch(url);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
});

/** One stage's steps on the host: WORKDIR is the scratch folder, COPY --from reads that stage's WORKDIR in the repository. */
function replay(stage: Stage, build: Stage, scratch: string): void {
  const buildDir = build.steps.find((s) => s.keyword === 'WORKDIR')?.content ?? '/';
  // prefer-offline: the same lock file, with tarballs already in the npm cache taken from it.
  const env = { ...process.env, ...stageEnv([stage]), npm_config_prefer_offline: 'true' };
  for (const step of stage.steps) {
    if (step.keyword === 'COPY') {
      const parts = step.content.split(/\s+/);
      const dest = join(scratch, parts.pop()!);
      for (const source of parts) {
        const from =
          step.flags.from === build.name
            ? join(REPO, source.replace(new RegExp(`^${buildDir}/?`), ''))
            : join(REPO, source);
        if (step.flags.from !== undefined && step.flags.from !== build.name) {
          throw new Error(`COPY --from=${step.flags.from} is not replayed`);
        }
        if (isAbsolute(source) && step.flags.from === undefined) {
          throw new Error(`COPY of an absolute path ${source}`);
        }
        cpSync(from, parts.length > 1 ? join(dest, source) : dest, { recursive: true });
      }
    } else if (step.keyword === 'RUN') {
      execFileSync('sh', ['-c', step.content], { cwd: scratch, env, stdio: 'pipe' });
    }
  }
}
