/** The ECE tests' support is the ECE world (test/support/worlds/elastic.ts). */
export * from '../support/worlds/elastic.js';
