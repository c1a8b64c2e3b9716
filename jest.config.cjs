// One jest run for every package: TypeScript sources are transformed by swc (type checking is `tsc -b`,
// which `npm test` runs first). ESM-only dependencies (jose, @noble/*) are transformed too.
// A second project runs the end-to-end suites again on a real Fabric network, with each organisation's gateway in its
// own process, whenever a Fabric home exists (jest.global-setup.cjs says which, or why not).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** @type {import('jest').Config} */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/chaincode', '<rootDir>/verifier-sdk', '<rootDir>/console', '<rootDir>/ledger', '<rootDir>/gateway', '<rootDir>/network', '<rootDir>/test'],
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
    // The Node build, as the gateway and every Node user resolve it (the `node` export condition); the browser build
    // is tested by importing verifier-sdk/src/index.ts itself (verifier-sdk/test/backends.test.ts, the bundle test).
    '^@hutong/verifier-sdk$': '<rootDir>/verifier-sdk/src/index.node.ts',
    '^@hutong/verifier-sdk/(.*)$': '<rootDir>/verifier-sdk/src/$1/index.ts',
    '^@hutong/ledger$': '<rootDir>/ledger/src/index.ts',
    '^@hutong/ledger/embedded$': '<rootDir>/ledger/src/embedded/index.ts',
    '^@hutong/ledger/fabric$': '<rootDir>/ledger/src/fabric/index.ts',
    '^@hutong/network$': '<rootDir>/network/src/index.ts',
    '^@hutong/gateway$': '<rootDir>/gateway/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/jest.setup.cjs'],
};

/** The e2e suites that run unchanged against gateways in their own processes on Fabric. */
const E2E_ON_FABRIC = ['cross-border', 'governance', 'rejections'];

async function fabricHomeExists() {
  const entry = join(__dirname, 'network', 'dist', 'index.js');
  if (!existsSync(entry)) return false;
  const { searchFabricHome } = await import(entry);
  return searchFabricHome().home !== undefined;
}

module.exports = async () => ({
  globalSetup: '<rootDir>/jest.global-setup.cjs',
  // Global, not per project: a suite's hooks start real networks and gateway processes (about 10 s on 2 cores).
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'hutong' },
    ...((await fabricHomeExists())
      ? [{
          ...base,
          displayName: 'e2e on fabric',
          roots: ['<rootDir>/test/e2e'],
          testMatch: E2E_ON_FABRIC.map((name) => `**/${name}.test.ts`),
          setupFiles: [...base.setupFiles, '<rootDir>/test/e2e/on-fabric.setup.cjs'],
        }]
      : []),
  ],
});
