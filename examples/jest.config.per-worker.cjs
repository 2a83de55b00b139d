// One emulator per jest worker (the README's quick start): the package's global setup starts them,
// each test file takes its worker's with emulatorClient() / emulatorUrl() from 'cloud-api-emulator/jest'.
// The two setup files are one line each:
//   emulator-setup.js:    module.exports = require('cloud-api-emulator/jest').globalSetup;
//   emulator-teardown.js: module.exports = require('cloud-api-emulator/jest').globalTeardown;
// (test/consumer/project/ in this repository runs exactly this, from the packed tarball.)
module.exports = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/emulator-setup.js',
  globalTeardown: '<rootDir>/emulator-teardown.js',
};
