module.exports = require('cloud-api-emulator/jest').globalTeardown;
