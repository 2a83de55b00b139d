/**
 * The official SDKs' response models, as data: each model's names()/types() tables, extracted from
 * the generated TypeScript SDK sources (aliyun/alibabacloud-typescript-sdk, eci-20180808 2.1.2 and
 * ens-20171110 10.x; the `$source` line of each JSON names the commit). The ENS package is not served
 * by the npm registry this project installs from, and npm's eci20180808 (2.0.3) predates the tag
 * calls and two group fields, so the tables are kept here. `sdkModel` turns a table back into a class
 * with the same static names()/types() the generated models have, on @darabonba/typescript's Model,
 * so the SDK's own cast can run on a body.
 */
import fs from 'node:fs';
import * as $dara from '@darabonba/typescript';

export type FieldType = string | { array: FieldType };
export type ModelTable = Record<string, FieldType>;

interface ModelFile {
  models: Record<string, ModelTable>;
  /** The SDK's field name where it is not the wire name with a lower-case first letter (OSName, deviceType). */
  fields: Record<string, Record<string, string>>;
}

const load = (file: string): ModelFile => JSON.parse(fs.readFileSync(new URL(file, import.meta.url), 'utf8'));

const FILES: Record<'eci' | 'ens', ModelFile> = { eci: load('./eci20180808.json'), ens: load('./ens20171110.json') };

export const TABLES: Record<'eci' | 'ens', Record<string, ModelTable>> = { eci: FILES.eci.models, ens: FILES.ens.models };

export type ModelClass = (new (map?: Record<string, any>) => $dara.Model) & { names(): Record<string, string>; types(): Record<string, any> };

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'any']);
const built = new Map<string, ModelClass>();

/** The model class `name` of `product`, built from its table (nested models too). */
export function sdkModel(product: 'eci' | 'ens', name: string): ModelClass {
  const key = `${product}:${name}`;
  const cached = built.get(key);
  if (cached) return cached;
  const table = TABLES[product][name];
  if (!table) throw new Error(`no ${product} model ${name}`);
  const renamed = FILES[product].fields[name] ?? {};
  const field = (wire: string) => renamed[wire] ?? wire.charAt(0).toLowerCase() + wire.slice(1);
  const typeOf = (t: FieldType): any => (typeof t === 'string' ? (PRIMITIVES.has(t) ? t : t === 'map' ? { type: 'map', keyType: 'string', valueType: 'any' } : sdkModel(product, t)) : { type: 'array', itemType: typeOf(t.array) });
  const Model = class extends $dara.Model {
    static names() {
      return Object.fromEntries(Object.keys(table).map((wire) => [field(wire), wire]));
    }
    static types() {
      return Object.fromEntries(Object.entries(table).map(([wire, t]) => [field(wire), typeOf(t)]));
    }
    constructor(map?: Record<string, any>) {
      super(map);
    }
  } as unknown as ModelClass;
  Object.defineProperty(Model, 'name', { value: name });
  built.set(key, Model);
  return Model;
}
