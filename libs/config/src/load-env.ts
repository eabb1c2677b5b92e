import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Validates the environment once at boot against a config class (class-validator decorators),
 * failing with one message that lists every bad variable. Only apps' `config/` folders and the
 * service bootstrap call it.
 */
export function loadEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): T {
  const instance = plainToInstance(cls, env, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  - ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return instance;
}
