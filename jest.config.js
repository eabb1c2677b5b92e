/** Three projects: pure unit specs, integration specs against real servers, e2e over HTTP. */
const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // Both ship only ES modules: content-disposition 3 (required by @fastify/static for Swagger UI)
  // and jose 6 (JWT verification).
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  moduleNameMapper: {
    '^@app/tracking$': '<rootDir>/apps/tracking/src/tracking.module',
    '^@app/model-registry$': '<rootDir>/apps/model-registry/src/model-registry.module',
    '^@app/artifact-proxy$': '<rootDir>/apps/artifact-proxy/src/artifact-proxy.module',
    '^@app/(domain|config|persistence|http|artifact-store)$': '<rootDir>/libs/$1/src',
    '^@app/(domain|config|persistence|http|artifact-store)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

module.exports = {
  // A global option (jest ignores it per project). Real servers, scrypt (memory-hard on purpose)
  // and compilers on a 2-core machine: a test that passes in 3 s alone can need more than jest's
  // 5 s default while the machine is busy.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // test/deploy: the deployment files, checked as files.
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/deploy/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts', '<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
