/**
 * Every JSON Schema in schemas/, compiled by one ajv instance at start. A schema is found by its
 * `$id` (the file's path under schemas/, e.g. "state.schema.json" or "alibaba/eci/RestartContainerGroup.response.json").
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export is the module object in some loaders.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export interface ReadableError {
  path: string;
  message: string;
  keyword: string;
  params: Record<string, unknown>;
}

function listJson(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return listJson(full, base);
    return d.name.endsWith('.json') ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

export class Schemas {
  readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(dir: string = SCHEMAS_DIR) {
    this.ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(this.ajv);
    for (const rel of listJson(dir)) {
      const schema = JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8'));
      this.ajv.addSchema(schema, schema.$id ?? rel);
    }
  }

  has(id: string): boolean {
    return this.ajv.getSchema(id) !== undefined;
  }

  validator(id: string): ValidateFunction {
    let v = this.compiled.get(id);
    if (!v) {
      v = this.ajv.getSchema(id);
      if (!v) throw new Error(`no schema ${id}`);
      this.compiled.set(id, v);
    }
    return v;
  }

  /** Validates; returns readable errors, or [] when the value is valid. `at` prefixes the paths (the value's place in a larger document). */
  check(id: string, value: unknown, at = ''): ReadableError[] {
    const v = this.validator(id);
    return v(value) ? [] : readable(v.errors ?? [], at);
  }
}

export function readable(errors: ErrorObject[], at = ''): ReadableError[] {
  return errors.map((e) => {
    const where = at + e.instancePath || '/';
    let message = `${where} ${e.message ?? 'is invalid'}`;
    if (e.keyword === 'additionalProperties') message += `: "${(e.params as any).additionalProperty}"`;
    if (e.keyword === 'enum') message += `: ${JSON.stringify((e.params as any).allowedValues)}`;
    return { path: where, message, keyword: e.keyword, params: e.params as Record<string, unknown> };
  });
}
