// CommonJS jest (jest's default): one emulator per worker, started by the package's global setup.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/cjs/**/*.test.js'],
  transform: {},
  globalSetup: '<rootDir>/emulator-setup.cjs',
  globalTeardown: '<rootDir>/emulator-teardown.cjs',
  maxWorkers: 2,
  testTimeout: 30000,
};
