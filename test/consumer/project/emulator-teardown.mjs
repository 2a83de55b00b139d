export { globalTeardown as default } from 'cloud-api-emulator/jest';
