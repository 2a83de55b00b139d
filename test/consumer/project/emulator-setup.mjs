export { globalSetup as default } from 'cloud-api-emulator/jest';
