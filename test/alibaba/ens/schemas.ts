/** Response bodies checked against the emulator's own JSON Schemas (schemas/alibaba/ens/), compiled once by the shared helper. */
import { schemas } from '../../support/schema-check.js';

export function expectSchema(id: string, body: unknown): void {
  const errors = schemas().check(`alibaba/ens/${id}`, body);
  if (errors.length > 0) throw new Error(`${id}: ${errors.map((e) => e.message).join('; ')}\n${JSON.stringify(body, null, 2)}`);
}

export function hasSchema(id: string): boolean {
  return schemas().has(`alibaba/ens/${id}`);
}
