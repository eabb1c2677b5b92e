import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DockerfileParser, Instruction } from 'dockerfile-ast';

export const REPO = join(__dirname, '..', '..');
export const DEPLOY = join(REPO, 'deploy');
export const DOCKERFILE = join(DEPLOY, 'docker', 'Dockerfile');

/** The apps that get an image: each is a Dockerfile target of the same name. */
export const IMAGE_APPS = ['tracking', 'model-registry', 'artifact-proxy', 'suite', 'migrate'];

export interface Step {
  keyword: string;
  /** The arguments as written, without the flags (`--from=…`, `--mount=…`). */
  content: string;
  flags: Record<string, string>;
  /** The arguments of an exec-form (JSON array) instruction. */
  exec?: string[];
}

export interface Stage {
  name: string;
  /** The FROM image with the global ARG defaults substituted, or an earlier stage's name. */
  base: string;
  steps: Step[];
}

export function dockerfileStages(): Stage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(DOCKERFILE, 'utf8'));
  const args = new Map(
    dockerfile
      .getInitialARGs()
      .map((arg) => [arg.getProperty()?.getName() ?? '', arg.getProperty()?.getValue() ?? '']),
  );
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG' && stages.length === 0) continue;
    if (keyword === 'FROM') {
      const [image, as, name] = instruction.getArgumentsContent()?.split(/\s+/) ?? [];
      if (as?.toUpperCase() !== 'AS' || !name) throw new Error(`unnamed stage FROM ${image}`);
      const base = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => args.get(arg) ?? '');
      stages.push({ name, base, steps: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`${keyword} before the first FROM`);
    stages[stages.length - 1].steps.push(step(instruction));
  }
  return stages;
}

function step(instruction: Instruction): Step {
  const keyword = instruction.getKeyword();
  const flags: Record<string, string> = {};
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  for (const flag of withFlags.getFlags?.() ?? []) flags[flag.getName()] = flag.getValue() ?? '';
  const content = instruction.getArgumentsContent() ?? '';
  const json = keyword === 'HEALTHCHECK' ? content.replace(/^CMD\s+/, '') : content;
  let exec: string[] | undefined;
  if (['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(keyword) && json.startsWith('[')) {
    exec = JSON.parse(json) as string[];
  }
  return { keyword, content, flags, exec };
}

/** The stage named `name` and the stages it is built on, base first. */
export function stageChain(stages: Stage[], name: string): Stage[] {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  const parent = stages.find((s) => s.name === stage.base);
  return parent ? [...stageChain(stages, parent.name), stage] : [stage];
}

/** `ENV A=1 B=2` of a chain of stages, later ones winning. */
export function stageEnv(chain: Stage[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of chain.flatMap((stage) => stage.steps)) {
    if (s.keyword !== 'ENV') continue;
    for (const pair of s.content.split(/\s+/)) {
      const [key, ...value] = pair.split('=');
      env[key] = value.join('=');
    }
  }
  return env;
}

export function serviceNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    config: { service_node_flags: string };
  };
  return pkg.config.service_node_flags.split(/\s+/);
}
