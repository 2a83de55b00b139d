// ESM jest (node --experimental-vm-modules): the same global setup, imported as an ES module.
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/esm/**/*.test.mjs'],
  transform: {},
  globalSetup: '<rootDir>/emulator-setup.mjs',
  globalTeardown: '<rootDir>/emulator-teardown.mjs',
  maxWorkers: 2,
  testTimeout: 30000,
};
