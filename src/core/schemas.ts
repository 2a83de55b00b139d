/**
 * Every JSON Schema in schemas/, found by its `$id` (the file's path under schemas/, e.g.
 * "state.schema.json" or "alibaba/eci/RestartContainerGroup.response.json").
 *
 * Nothing is compiled at start: a schema is compiled on its first use (ajv compiles what it refs
 * with it), so a start that validates nothing compiles nothing. The files are read and parsed once
 * per process and directory (about 90 small files); ajv is handed them only when the first
 * validator is asked for, and they are not checked against their meta-schema at each start (a test
 * does that for every file: test/core/schemas.test.ts).
 */
import { createHash } from 'node:crypto';
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
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) return listJson(full, base);
      return d.name.endsWith('.json') ? [path.relative(base, full).split(path.sep).join('/')] : [];
    })
    .sort();
}

/** The schema files of one directory, as read: by id, and a digest of all of them (what a check against them depends on). */
interface SchemaFiles {
  byId: Map<string, Record<string, unknown>>;
  digest: string;
}

/** Read once per directory and process: every emulator a test suite starts shares them (they are never changed). */
const filesByDir = new Map<string, SchemaFiles>();

function readSchemaFiles(dir: string): SchemaFiles {
  let files = filesByDir.get(dir);
  if (!files) {
    const byId = new Map<string, Record<string, unknown>>();
    const hash = createHash('sha1');
    for (const rel of listJson(dir)) {
      const text = fs.readFileSync(path.join(dir, rel), 'utf8');
      hash.update(`${rel}\n${text}\n`);
      const schema = JSON.parse(text);
      byId.set(typeof schema.$id === 'string' ? schema.$id : rel, schema);
    }
    filesByDir.set(dir, (files = { byId, digest: hash.digest('hex') }));
  }
  return files;
}

/** One ajv per directory and process, made on the first compile; its validators are pure, so emulators in one process share them. */
const ajvByDir = new Map<string, Ajv>();

export class Schemas {
  private readonly files: SchemaFiles;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Validators this instance handed out for the first time (each id once): counted by tests, never timed. */
  readonly stats = { validators: 0 };

  constructor(private readonly dir: string = SCHEMAS_DIR) {
    this.files = readSchemaFiles(dir);
  }

  /** The ajv instance holding every schema (made, with the schemas added, on first use). */
  get ajv(): Ajv {
    let ajv = ajvByDir.get(this.dir);
    if (!ajv) {
      // validateSchema: false — the files are checked against their meta-schema by a test, not at every start.
      ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, validateSchema: false });
      addFormats(ajv);
      for (const [id, schema] of this.files.byId) ajv.addSchema(schema, id);
      ajvByDir.set(this.dir, ajv);
    }
    return ajv;
  }

  /** A digest of every schema file: a state checked against these schemas need not be checked again while it is unchanged. */
  get digest(): string {
    return this.files.digest;
  }

  /** Whether a schema file has this `$id` (a fragment after `#` is not looked into). */
  has(id: string): boolean {
    const hash = id.indexOf('#');
    return this.files.byId.has(hash < 0 ? id : id.slice(0, hash));
  }

  /** The schema as written in its file (to read its declarations; nothing is compiled). Callers must not change it. */
  source(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.files.byId.get(id);
  }

  validator(id: string): ValidateFunction {
    let v = this.compiled.get(id);
    if (!v) {
      v = this.ajv.getSchema(id);
      if (!v) throw new Error(`no schema ${id}`);
      this.compiled.set(id, v);
      this.stats.validators++;
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
