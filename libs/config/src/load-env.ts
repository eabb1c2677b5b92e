import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/** A bad environment: its message names every bad variable and is all an operator needs. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
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
  const instance = plainToInstance(cls, env, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    // One reason per variable: the first check as written (class-validator lists them in reverse),
    // never the value, which may be a secret.
    const lines = errors.map((e) => {
      const reason = Object.values(e.constraints ?? {}).at(-1) ?? 'is invalid';
      return `  - ${reason.startsWith(e.property) ? reason : `${e.property} ${reason}`}`;
    });
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return instance;
}
