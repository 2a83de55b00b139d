/**
 * Conformance of the success bodies, derived rather than hand-written. No official KooPhone SDK is
 * published on npm (`npm view @huaweicloud/huaweicloud-sdk-koophone` answers 404; only the Java SDK
 * has the service), so the response models are the documented field tables as carried into our
 * response schemas. The model (field names and types) is read from each schema; each operation's
 * body for a default-seeded resource (a seed of only instance_id and project_id) must have every
 * field of the model, of its type, and no field the model does not have.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { PROJECT, TOKEN, USER, huaweiWorld } from '../support/worlds/huawei.js';

type Model = { type: string; fields?: Record<string, Model>; items?: Model };

const SCHEMAS = resolve('schemas');

/** The model a schema file describes: objects list their properties (every one a field), arrays their items. */
function modelOf(file: string, pointer?: string): Model {
  const doc = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8'));
  let node = doc;
  for (const part of (pointer ?? '').split('/').filter(Boolean)) node = node[part];
  return build(node, file, doc);
}

function build(node: any, file: string, doc: any): Model {
  if (node.$ref) {
    const [target, pointer] = String(node.$ref).split('#');
    return target ? modelOf(join(dirname(file), target), pointer) : build(pointer!.split('/').filter(Boolean).reduce((n: any, p: string) => n[p], doc), file, doc);
  }
  if (node.allOf) return node.allOf.map((n: any) => build(n, file, doc)).reduce((a: Model, b: Model) => ({ ...a, ...b, fields: { ...a.fields, ...b.fields } }));
  const type = node.type ?? (node.const !== undefined ? typeof node.const : 'any');
  if (type === 'object') {
    const fields: Record<string, Model> = {};
    for (const [name, sub] of Object.entries(node.properties ?? {})) if (!name.startsWith('_')) fields[name] = build(sub, file, doc);
    return { type, fields };
  }
  if (type === 'array') return { type, items: node.items ? build(node.items, file, doc) : undefined };
  return { type };
}

/** Every difference between a body and its model, as paths. */
function differences(model: Model, value: unknown, path = '$'): string[] {
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
  const fits = model.type === 'any' || model.type === actual || (model.type === 'number' && actual === 'integer');
  if (!fits) return [`${path}: ${actual}, the model says ${model.type}`];
  const out: string[] = [];
  if (model.fields) {
    const body = value as Record<string, unknown>;
    for (const [name, sub] of Object.entries(model.fields)) {
      if (!Object.hasOwn(body, name)) out.push(`${path}.${name}: missing`);
      else out.push(...differences(sub, body[name], `${path}.${name}`));
    }
    for (const name of Object.keys(body)) if (!Object.hasOwn(model.fields, name)) out.push(`${path}.${name}: not in the model`);
  }
  if (model.items) (value as unknown[]).forEach((item, i) => out.push(...differences(model.items!, item, `${path}[${i}]`)));
  return out;
}

describe('success bodies against the documented response models', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
    await t.seed(huaweiWorld([{ instance_id: 'dflt0001', project_id: PROJECT }]));
  });
  afterAll(() => t.close());

  const headers = { 'X-Auth-Token': TOKEN, 'x-request-id': 'conformance', 'Content-Type': 'application/json' };

  test('the models are not empty (a schema that lost its fields would pass anything)', () => {
    expect(Object.keys(modelOf('huawei/koophone/batch-query.response.json').fields!.data!.fields!.result!.items!.fields!)).toHaveLength(21);
    expect(Object.keys(modelOf('huawei/koophone/batch-query-status.response.json').fields!.data!.fields!.status_results!.items!.fields!)).toEqual(['instance_id', 'status']);
  });

  test('ListInstances (every codes placement)', async () => {
    const model = modelOf('huawei/koophone/batch-query.response.json');
    for (const placement of ['both', 'data', 'top']) {
      await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.listCodesPlacement': placement }).expect(200);
      const res = await t.http.get('/v1/instances/batch-query?x-request-id=c&page_no=1&page_size=10').set(headers);
      expect(res.status).toBe(200);
      expect(res.body.data.result).toHaveLength(1);
      // The model's error_code/error_msg are where the placement puts them (the schema allows each place).
      const expected = { ...model, fields: { ...model.fields } };
      const data = { ...expected.fields!.data!, fields: { ...expected.fields!.data!.fields } };
      if (placement === 'top') delete data.fields!.error_code, delete data.fields!.error_msg;
      if (placement === 'data') delete expected.fields!.error_code, delete expected.fields!.error_msg;
      expected.fields!.data = data;
      expect(differences(expected, res.body)).toEqual([]);
    }
  });

  test('BatchQueryStatus', async () => {
    const res = await t.http.post('/v1/instances/batch-query-status').set(headers).send({ instance_ids: ['dflt0001'] });
    expect(res.status).toBe(200);
    expect(differences(modelOf('huawei/koophone/batch-query-status.response.json'), res.body)).toEqual([]);
  });

  test('BatchRebootInstance', async () => {
    const res = await t.http.post('/v1/instances/reboot').set(headers).send({ instance_ids: ['dflt0001'] });
    expect(res.status).toBe(200);
    expect(differences(modelOf('huawei/koophone/reboot.response.json'), res.body)).toEqual([]);
  });

  test('KeystoneCreateUserTokenByPassword (with the catalog)', async () => {
    const body = { auth: { identity: { methods: ['password'], password: { user: { name: USER.name, password: USER.password, domain: { name: USER.domain } } } }, scope: { project: { name: USER.projectName } } } };
    const res = await t.http.post('/v3/auth/tokens').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(201);
    expect(differences(modelOf('huawei/iam/auth-tokens.response.json'), res.body)).toEqual([]);
  });
});
