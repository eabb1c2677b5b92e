import { readFileSync } from 'node:fs';

/**
 * Variables that may instead be given as `<NAME>_FILE`, a path to a file holding the value (a
 * mounted secret, as container platforms provide them).
 */
export const FILE_VARIABLES = [
  'BACKEND_STORE_URI',
  'ARTIFACTS_DESTINATION',
  'ARTIFACTS_PASSWORD',
  'SFTP_PASSPHRASE',
  'AUTH_ADMIN_PASSWORD',
  'AUTH_JWT_SECRET',
  'ARTIFACT_PROXY_TOKEN',
  'METRICS_TOKEN',
] as const;

/**
 * The environment with every `<NAME>_FILE` of {@link FILE_VARIABLES} read into `<NAME>` (trailing
 * newline dropped) and removed; a variable given both ways, or a file that cannot be read, is a
 * problem (named, never its value).
 */
export function resolveFileVariables(
  env: NodeJS.ProcessEnv,
  problems: string[],
): NodeJS.ProcessEnv {
  const resolved = { ...env };
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    delete resolved[`${name}_FILE`];
    if (env[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set: keep one`);
      continue;
    }
    resolved[name] = readSecretFile(file, `${name}_FILE`, problems)?.replace(/\r?\n$/, '');
  }
  return resolved;
}

export function readSecretFile(path: string, name: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    problems.push(`${name} cannot be read`);
    return undefined;
  }
}
