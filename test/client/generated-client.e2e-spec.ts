import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import { BACKENDS } from '../support/backends';
import { createTestApp, TestApp } from '../support/test-app';

const ROOT = resolve(__dirname, '../..');
const GENERATED = join(__dirname, 'generated');
const PROGRAM = join(__dirname, 'client-program');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The suite as an OpenAPI user meets it: the live /docs-json passes `redocly lint` (recommended
 * rules, redocly.yaml says which are off and why), a typed client generated from it with
 * openapi-typescript + openapi-fetch type-checks a small program without casts, and that program
 * works against the running suite.
 */
describe.each(BACKENDS)('a client generated from /docs-json, on %s', (backend) => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const document = await (await fetch(`${baseUrl}/docs-json`)).text();
    mkdirSync(GENERATED, { recursive: true });
    writeFileSync(join(GENERATED, 'docs.json'), document);
  });

  afterAll(async () => {
    await t.close();
  });

  it('passes redocly lint with the recommended rules', () => {
    const lint = run(bin('redocly'), ['lint', join(GENERATED, 'docs.json'), '--format=stylish']);
    expect(lint.output).toContain('Your API description is valid');
    expect(lint.status).toBe(0);
  });

  it('generates a client that type-checks the program and runs it against the suite', async () => {
    const generate = run(bin('openapi-typescript'), [
      join(GENERATED, 'docs.json'),
      '--output',
      join(GENERATED, 'mlflow-api.d.ts'),
    ]);
    expect(generate.status).toBe(0);
    const typeCheck = run(bin('tsc'), ['-p', join(__dirname, 'tsconfig.client.json')]);
    expect(typeCheck.output).toBe('');
    expect(typeCheck.status).toBe(0);

    // By path, so that the repository type-checks before a client is generated.
    const program = (await import(PROGRAM)) as {
      runClientProgram(baseUrl: string): Promise<Record<string, unknown>>;
    };
    const result = await program.runClientProgram(baseUrl);
    expect(result.experimentId).toMatch(/^\d+$/);
    expect(result.foundRunIds).toEqual([result.runId]);
    expect(result.history).toEqual([
      { step: 0, value: 0.5 },
      { step: 1, value: 'NaN' },
    ]);
    expect(result.downloaded).toBe('global model weights');
    expect(result.modelVersion).toBe('1');
    expect(result.missingExperiment).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
