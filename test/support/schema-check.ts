/**
 * One way to check a body against its JSON Schema in any test: the schemas in schemas/, compiled
 * once per test file by the emulator's own Schemas (the same ajv the server validates with).
 */
import { expect } from '@jest/globals';
import { Schemas } from '../../src/core/schemas.js';

let shared: Schemas | undefined;

/** The compiled schemas (compiled on first use). */
export function schemas(): Schemas {
  return (shared ??= new Schemas());
}

/** Fails with the schema's readable errors, so a failing test says what is wrong with the body. */
export function expectMatchesSchema(id: string, body: unknown): void {
  const errors = schemas().check(id, body);
  expect({ id, errors }).toEqual({ id, errors: [] });
}
