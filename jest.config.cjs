// One jest run for every package: TypeScript sources are transformed by swc (type checking is `tsc -b`,
// which `npm test` runs first). ESM-only dependencies (jose, @noble/*) are transformed too.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/chaincode', '<rootDir>/verifier-sdk', '<rootDir>/ledger', '<rootDir>/gateway', '<rootDir>/network', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/[^/]+/dist/'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@noble)/)'],
  moduleNameMapper: {
    '^@hutong/chaincode$': '<rootDir>/chaincode/src/index.ts',
    '^@hutong/chaincode/domain$': '<rootDir>/chaincode/src/domain/index.ts',
    '^@hutong/verifier-sdk$': '<rootDir>/verifier-sdk/src/index.ts',
    '^@hutong/verifier-sdk/(.*)$': '<rootDir>/verifier-sdk/src/$1/index.ts',
    '^@hutong/ledger$': '<rootDir>/ledger/src/index.ts',
    '^@hutong/ledger/embedded$': '<rootDir>/ledger/src/embedded/index.ts',
    '^@hutong/ledger/fabric$': '<rootDir>/ledger/src/fabric/index.ts',
    '^@hutong/network$': '<rootDir>/network/src/index.ts',
    '^@hutong/gateway$': '<rootDir>/gateway/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
  setupFiles: ['<rootDir>/jest.setup.cjs'],
  globalSetup: '<rootDir>/jest.global-setup.cjs',
};
