import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { resolveFileVariables } from './secret-file';

/** A bad environment: its message names every bad variable and is all an operator needs. */
export class ConfigurationError extends Error {
  /** One line per problem (the message lists them too). */
  readonly problems: string[];

  constructor(message: string, problems?: string[]) {
    super(message);
    this.name = 'ConfigurationError';
    this.problems = problems ?? [message];
  }
}

/**
 * Validates the environment once at boot against a config class (class-validator decorators),
 * failing with one message that lists every bad variable. Only apps' `config/` folders and the
 * service bootstrap call it.
 */
export function loadEnv<T extends object>(
  cls: new () => T,
  // The one read of the process environment; tests pass their own.
  env: NodeJS.ProcessEnv = process.env,
): T {
  const problems: string[] = [];
  const resolved = resolveFileVariables(env, problems);
  const instance = plainToInstance(cls, resolved, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  // One reason per variable: the first check as written (class-validator lists them in reverse),
  // never the value, which may be a secret.
  for (const e of errors) {
    const reason = Object.values(e.constraints ?? {}).at(-1) ?? 'is invalid';
    problems.push(reason.startsWith(e.property) ? reason : `${e.property} ${reason}`);
  }
  if (problems.length > 0) {
    throw new ConfigurationError(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems,
    );
  }
  return instance;
}

/**
 * LOG_FORMAT as given, when it is one of the formats, for logging a boot whose environment may be
 * what failed validation (so loadEnv's answer cannot be relied on).
 */
export function unvalidatedLogFormat(
  env: NodeJS.ProcessEnv = process.env,
): 'json' | 'pretty' | undefined {
  const format = env.LOG_FORMAT;
  return format === 'json' || format === 'pretty' ? format : undefined;
}
