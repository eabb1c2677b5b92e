import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { isTrue, ServerEnv } from './server-env';

export interface WebUiSettings {
  enabled: boolean;
  directory: string;
}

/**
 * The built UI sits in `dist/apps/web` beside the service's own build
 * (`dist/apps/<app>/apps/<app>/src/main.js`), so it is found from the running code whatever the
 * working directory; from sources (tests) it is the repository's `dist/apps/web`.
 */
function defaultDirectory(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'dist') return join(dir, 'apps', 'web');
  }
  const fromSources = resolve(__dirname, '../../../dist/apps/web');
  return existsSync(fromSources) ? fromSources : resolve('dist/apps/web');
}

export function webUiSettings(config: ServerEnv, enabledByDefault: boolean): WebUiSettings {
  return {
    enabled: isTrue(config.WEB_UI_ENABLED) ?? enabledByDefault,
    directory: config.WEB_UI_DIR ? resolve(config.WEB_UI_DIR) : defaultDirectory(),
  };
}
