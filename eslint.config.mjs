import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

const frameworkImports = [
  { group: ['@nestjs/*'], message: 'libs/domain is plain TypeScript: no Nest.' },
  { group: ['typeorm', 'mysql2', 'better-sqlite3'], message: 'libs/domain knows no database.' },
  {
    group: ['class-validator', 'class-transformer'],
    message: 'Validation decorators belong in DTOs.',
  },
  { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*'], message: 'libs/domain does no I/O.' },
  {
    group: ['basic-ftp', 'ssh2-sftp-client', 'fastify'],
    message: 'libs/domain knows no transport.',
  },
  { group: ['@app/*'], message: 'libs/domain imports no other lib.' },
];

const drivers = ['typeorm', 'mysql2', 'better-sqlite3', 'basic-ftp', 'ssh2-sftp-client', 'ssh2'];
const dtoConcerns = ['@nestjs/swagger', 'class-validator', 'class-transformer'];

/**
 * A lib's import rules: the libs it may not reach (by alias or by any relative path) and the packages it may not use.
 * Every lib has a block; the app layer has its own below.
 */
function layer(lib, forbiddenLibs, forbiddenPackages) {
  return [
    ...forbiddenLibs.map((other) => ({
      group: [`@app/${other}`, `@app/${other}/*`, `**/${other}`, `**/${other}/**`],
      message: `${lib} may not import libs/${other}.`,
    })),
    { group: forbiddenPackages, message: `${lib} may not use this package.` },
    {
      group: ['@app/tracking', '@app/model-registry', '@app/artifact-proxy', '**/apps/**'],
      message: 'A lib never imports an app.',
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/**/*.js',
      '*.js',
      '*.mjs',
      // Imports a client generated at test time; generated-client.e2e-spec.ts type-checks it
      // strictly (test/client/tsconfig.client.json) once the client exists.
      'test/client/client-program.ts',
      'test/client/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      // style.md §3.8: builtins, third party, @app/*, relative.
      'simple-import-sort/imports': [
        'error',
        { groups: [['^\\u0000'], ['^node:'], ['^@?\\w'], ['^@app/'], ['^\\.']] },
      ],
      'simple-import-sort/exports': 'error',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: frameworkImports }] },
  },
  {
    files: ['libs/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: layer(
            'libs/config',
            ['http', 'persistence', 'artifact-store'],
            [...drivers, '@nestjs/swagger', '@nestjs/platform-fastify', 'fastify'],
          ),
        },
      ],
    },
  },
  {
    files: ['libs/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: layer('libs/http', ['persistence', 'artifact-store'], drivers) },
      ],
    },
  },
  {
    files: ['libs/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: layer('libs/persistence', ['http', 'artifact-store', 'config'], dtoConcerns) },
      ],
    },
  },
  {
    files: ['libs/artifact-store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: layer(
            'libs/artifact-store',
            ['http', 'persistence', 'config'],
            [...dtoConcerns, 'typeorm', 'mysql2', 'better-sqlite3'],
          ),
        },
      ],
    },
  },
  {
    files: ['apps/tracking/**/*.ts', 'apps/model-registry/**/*.ts', 'apps/artifact-proxy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@app/tracking', '@app/model-registry', '@app/artifact-proxy'],
              message: 'An app never imports another app.',
            },
            {
              group: ['typeorm', 'mysql2', 'better-sqlite3', 'basic-ftp', 'ssh2-sftp-client'],
              message: 'Apps reach storage through ports only.',
            },
            {
              group: ['../../../libs/*', '../../libs/*'],
              message: 'Import libs through @app/<lib>.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web UI reads and writes through the public HTTP API only.
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@app/*', '**/libs/**', '**/apps/*/src/**'],
              message: 'The UI uses the HTTP API only.',
            },
            { group: ['@nestjs/*', 'typeorm', 'node:*'], message: 'The UI runs in the browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
