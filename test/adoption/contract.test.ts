/** Issue 13, the control plane's own contract: schemas, the OpenAPI document, the index of routes, strict query filters. */
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { CONTROL_ROUTES } from '../../src/control/routes.js';
import { ROOT } from '../support/child.js';
import { startHuawei, instance } from '../huawei/support.js';
import type { TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startHuawei([instance('c1')]);
});
afterAll(() => t.close());

test('every route names a request and response schema that exists in schemas/control/, and every such schema is used', () => {
  const named = new Set(CONTROL_ROUTES.flatMap((r) => [r.request, r.response]).filter(Boolean));
  named.add('control/error.response.json');
  for (const id of named) expect(t.ctx.schemas.has(id!)).toBe(true);
  const files = fs.readdirSync(path.join(ROOT, 'schemas', 'control')).map((f) => `control/${f}`);
  expect(files.filter((f) => !named.has(f))).toEqual([]);
});

test('GET /_emulator answers the index of routes instead of a 404', async () => {
  const res = await t.http.get('/_emulator').expect(200);
  expect(res.body.routes).toHaveLength(CONTROL_ROUTES.length);
  expect(res.body.routes).toContainEqual({ method: 'POST', path: '/_emulator/clock', summary: expect.stringContaining('settle') });
  expect(res.body.openapi).toBe('/_emulator/openapi.json');
});

test('GET /_emulator/openapi.json is an OpenAPI 3.1 document that passes the validator', async () => {
  const res = await t.http.get('/_emulator/openapi.json').expect(200);
  expect(res.body.openapi).toBe('3.1.0');
  const validator = new Validator();
  const result = await validator.validate(res.body);
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
  expect(Object.keys(res.body.paths)).toEqual([...new Set(CONTROL_ROUTES.map((r) => `/_emulator${r.path}`))]);
  // The validator can fail: the same document with a broken response object does.
  const broken = structuredClone(res.body);
  broken.paths['/_emulator/clock'].get.responses['200'] = { content: 5 };
  expect((await new Validator().validate(broken)).valid).toBe(false);
});

test.each([
  ['/_emulator/requests?provder=huawei', /"provder".*provider, operation, resourceId, status, errorCode, since, unmatched, limit/],
  ['/_emulator/state?full=1', /"full".*takes none/],
  ['/_emulator/transitions/pending?id=c1', /"id".*resource/],
])('an unknown query filter %s is a 400, not ignored', async (url, message) => {
  const res = await t.http.get(url).expect(400);
  expect(res.body.errors[0].message).toMatch(message);
});

test('a repeated filter is a 400', async () => {
  await t.http.get('/_emulator/requests?provider=huawei&provider=elastic').expect(400);
});

test('PUT /_emulator/transitions takes what the flag takes ("5s", "1m", "never")', async () => {
  const res = await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': '5s', 'alibaba.eci.restart': '1m', 'elastic.restart': 'never' }).expect(200);
  expect(res.body).toMatchObject({ 'huawei.koophone.reboot': 5000, 'alibaba.eci.restart': 60000, 'elastic.restart': null });
  const bad = await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 'soon' }).expect(400);
  expect(bad.body.errors[0].message).toMatch(/huawei.koophone.reboot.*not a duration/);
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': '366d' }).expect(400);
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': `${366 * 24}h` }).expect(400);
});

test('a seed error points into the request, not into the merged document', async () => {
  await t.seed({ huawei: { koophone: { instances: [instance('c2'), instance('c3'), instance('c4')] } } });
  const res = await t.http.post('/_emulator/seed').send({ huawei: { koophone: { instances: [instance('c5'), { instance_id: 'c6', project_id: 'p', running_status: 'up' }] } } }).expect(400);
  const paths = res.body.errors.map((e: any) => e.path);
  expect(paths.every((p: string) => p.startsWith('/huawei/koophone/instances/1'))).toBe(true);
  expect(res.body.errors[0].message).toContain('/huawei/koophone/instances/1');
  // A seeded id that replaces an entry points at its place in the request too.
  const replaced = await t.http.post('/_emulator/seed').send({ huawei: { koophone: { instances: [{ ...instance('c3'), running_status: 'up' }] } } }).expect(400);
  expect(replaced.body.errors[0].path).toMatch(/^\/huawei\/koophone\/instances\/0\b/);
});

test('the control-plane responses of this suite are checked against their schemas (a mismatch would be a 500)', async () => {
  expect(t.ctx.schemas.check('control/clock.response.json', { now: 'not a time', mode: 'manual' })).not.toEqual([]);
  await t.http.get('/_emulator/clock').expect(200);
});
