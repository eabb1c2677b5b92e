import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const frameworkImports = [
  { group: ['@nestjs/*'], message: 'libs/domain is plain TypeScript: no Nest.' },
  { group: ['typeorm', 'mysql2', 'better-sqlite3'], message: 'libs/domain knows no database.' },
  { group: ['class-validator', 'class-transformer'], message: 'Validation decorators belong in DTOs.' },
  { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*'], message: 'libs/domain does no I/O.' },
  { group: ['basic-ftp', 'ssh2-sftp-client', 'fastify'], message: 'libs/domain knows no transport.' },
  { group: ['@app/*'], message: 'libs/domain imports no other lib.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/**/*.js', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: frameworkImports }] },
  },
  {
    files: ['libs/persistence/**/*.ts', 'libs/artifact-store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@app/http', '@app/http/*', '@app/persistence/*', '@app/artifact-store/*'], message: 'Adapters import only @app/domain and their drivers.' },
            { group: ['@nestjs/swagger', 'class-validator'], message: 'No DTO concerns in adapters.' },
          ],
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
            { group: ['@app/tracking', '@app/model-registry', '@app/artifact-proxy'], message: 'An app never imports another app.' },
            { group: ['typeorm', 'mysql2', 'better-sqlite3', 'basic-ftp', 'ssh2-sftp-client'], message: 'Apps reach storage through ports only.' },
            { group: ['../../../libs/*', '../../libs/*'], message: 'Import libs through @app/<lib>.' },
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
