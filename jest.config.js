/** ESM TypeScript through ts-jest's ESM preset (run with --experimental-vm-modules, see package.json). */
// Every update recorded through a writer is checked against a copy and a diff of its whole entry
// (src/core/transaction.ts): a handler writing its draft directly fails its test. Workers and the
// CLI processes tests start inherit it.
process.env.CLOUD_API_EMULATOR_VERIFY_EDITS ??= '1';
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testTimeout: 20000,
  // After each test file: no request reached Object.prototype or Array.prototype (test/security/).
  setupFilesAfterEnv: ['<rootDir>/test/support/prototype-guard.ts'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
