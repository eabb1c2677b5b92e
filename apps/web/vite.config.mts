import { resolve } from 'node:path';

import { defineConfig } from 'vite';

/**
 * The UI is built into static files that the suite serves at `/` (WEB_UI_DIR). Vite 8's own
 * transformer (oxc) compiles the TSX with React's automatic runtime, so no framework plugin is
 * needed (and @vitejs/plugin-react's optional Babel peers do not resolve with this tree). In
 * development, `npx vite apps/web` proxies the API to the suite at SUITE_URL (default port 5000).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/apps/web'),
    emptyOutDir: true,
    // Content-hashed names: the server caches /assets/* as immutable.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      // Libraries' "use client" lines mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/ajax-api', '/health', '/version', '/docs'].map((p) => [
        p,
        process.env.SUITE_URL ?? 'http://127.0.0.1:5000',
      ]),
    ),
  },
});
