/**
 * Every code of the Alibaba error catalogues (the protocol's, ECI's, ENS's) is reached through HTTP in
 * one run, so a code without a path to it (a dead code) fails here; every error body is the envelope.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { AlibabaError, protocolErrors } from '../../src/providers/alibaba/errors.js';
import { eciErrors } from '../../src/providers/alibaba/eci/errors.js';
import { ensErrors } from '../../src/providers/alibaba/ens/errors.js';
import type { TestEmulator } from '../support/emulator.js';
import { FaultyFs } from '../support/faulty-fs.js';
import { expectMatchesSchema } from '../support/schema-check.js';
import { ENS_VERSION, GROUP, group, queryString, READ_ONLY, signAcs3, signRpc, startAlibaba } from '../support/worlds/alibaba.js';

const REGION = 'cn-hangzhou';
const LIST = { RegionId: REGION, ResourceType: 'ContainerGroup' };
const COMMON = ['Action', 'Version', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'SignatureNonce'] as const;
/** ENS names the field in the code (InvalidParameter.EventInfos, .PageSize, ...): one catalogue entry. */
const ENS_FIELD = 'InvalidParameter.<field>';

const label = (status: number, code: string) => `${status} ${/^InvalidParameter\.(?!Format$|NotFound$)/.test(code) ? ENS_FIELD : code}`;

function catalogue(): Set<string> {
  const codes = new Set<string>();
  const add = (e: AlibabaError) => codes.add(label(e.httpStatus, e.code));
  for (const [name, factory] of Object.entries(protocolErrors)) {
    if (name === 'missingCommon') for (const p of COMMON) add(protocolErrors.missingCommon(p));
    else add((factory as (...a: unknown[]) => AlibabaError)('x', 'y', 'z'));
  }
  for (const factory of Object.values(eciErrors)) add((factory as (...a: unknown[]) => AlibabaError)('x', 'y', 'z'));
  for (const factory of Object.values(ensErrors)) add((factory as (...a: unknown[]) => AlibabaError)('x', 'y', 'z'));
  return codes;
}

let dir: string;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every catalogue code is reachable, each in the error envelope', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alibaba-catalogue-'));
  const ffs = new FaultyFs();
  const seed = { eci: { containerGroups: [group(GROUP), group('eci-done00000000000001', { Status: 'Succeeded' })] }, ens: { instances: [{ InstanceId: 'i-cat' }], events: [{ EventId: 'e-cat', ResourceId: 'i-cat' }] } };
  const t: TestEmulator = await startAlibaba(seed, { data: path.join(dir, 'state.json'), fileSystem: ffs, bodyLimit: 2048 });
  const seen = new Set<string>();
  const note = (res: request.Response) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectMatchesSchema('alibaba/error.response.json', res.body);
    seen.add(label(res.status, res.body.Code));
  };
  const rpc = async (action: string, api: Record<string, string>, opts: Parameters<typeof signRpc>[3] = {}) => note(await request(t.url).get(`/?${queryString(signRpc('GET', action, api, opts))}`));
  const settings = (s: Record<string, unknown>) => request(t.url).patch('/_emulator/settings').send(s).expect(200);
  try {
    // The gateway: names, signatures, formats.
    await rpc('ListTagResources', LIST, { omit: ['Action'] });
    await rpc('ListTagResources', LIST, { omit: ['Version'] });
    note(await request(t.url).get('/').query({ Action: 'ListTagResources', Version: '2018-08-08', ...LIST }));
    for (const name of ['Signature', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'SignatureNonce']) {
      const p = signRpc('GET', 'ListTagResources', LIST, { omit: name === 'Signature' ? [] : [name] });
      if (name === 'Signature') delete p.Signature;
      note(await request(t.url).get(`/?${queryString(p)}`));
    }
    await rpc('ListTagResources', { ...LIST, SignatureMethod: 'HMAC-MD5' });
    await rpc('ListTagResources', { ...LIST, SignatureVersion: '2.0' });
    await rpc('ListTagResources', LIST, { format: 'YAML' });
    note(await request(t.url).post(`/?${queryString(LIST)}`).set({ 'x-acs-action': 'ListTagResources', 'x-acs-version': '2018-08-08', authorization: 'ACS3-HMAC-SHA256 Credential=x' }));
    await rpc('ListTagResources', LIST, { creds: { accessKeyId: READ_ONLY.accessKeyId, accessKeySecret: 'wrong' } });
    note(await request(t.url).put(`/?${queryString(signRpc('GET', 'ListTagResources', LIST))}`));
    note(await request(t.url).post('/').set('content-type', 'application/x-www-form-urlencoded').send(`Action=ListTagResources&Pad=${'x'.repeat(4096)}`));
    note(await request(t.url).post('/').set('content-type', 'application/x-www-form-urlencoded').send(Buffer.from([0x41, 0x3d, 0xff, 0xfe])));
    await rpc('DescribeNothing', LIST);
    await settings({ 'alibaba.unknownActionError': 'InvalidAction' });
    await rpc('DescribeNothing', LIST);
    await rpc('ListTagResources', LIST, { version: '2099-01-01' });
    // Strict mode: keys, timestamps, nonces.
    await settings({ 'alibaba.strictAuth': true });
    await rpc('ListTagResources', LIST, { creds: { accessKeyId: 'LTAI5tNOBODY', accessKeySecret: 'x' } });
    await rpc('ListTagResources', LIST, { timestamp: 'yesterday' });
    await t.http.post('/_emulator/clock').send({ set: '2026-01-15T08:00:00Z' }).expect(200);
    await rpc('ListTagResources', LIST, { timestamp: '2026-01-15T09:00:00Z' });
    const once = signRpc('GET', 'ListTagResources', LIST, { nonce: 'catalogue-nonce' });
    expect((await request(t.url).get(`/?${queryString(once)}`)).status).toBe(200);
    note(await request(t.url).get(`/?${queryString(once)}`));
    await settings({ 'alibaba.strictAuth': false });
    // Params, regions, tokens.
    await rpc('ListTagResources', { ResourceType: 'ContainerGroup' });
    await rpc('ListTagResources', { ...LIST, Limit: '0' });
    await rpc('ListTagResources', { ...LIST, RegionId: 'cn-nowhere' });
    expect((await request(t.url).get(`/?${queryString(signRpc('GET', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: 'catalogue-token' }))}`)).status).toBe(200);
    await rpc('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-done00000000000001', ClientToken: 'catalogue-token' });
    // ECI's own codes.
    await rpc('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-done00000000000001' });
    await rpc('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-nosuch' });
    await settings({ 'alibaba.eci.notFoundStyle': 'InvalidParameter.NotFound' });
    await rpc('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-nosuch' });
    await settings({ 'alibaba.eci.notFoundStyle': 'NotFound' });
    await rpc('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-nosuch' });
    await request(t.url).put('/_emulator/transitions').send({ 'alibaba.eci.tagChange': 60_000 }).expect(200);
    const tag = (key: string) => signRpc('GET', 'TagResources', { ...LIST, 'ResourceId.1': GROUP, 'Tag.1.Key': key, 'Tag.1.Value': 'v' });
    expect((await request(t.url).get(`/?${queryString(tag('a'))}`)).status).toBe(200);
    note(await request(t.url).get(`/?${queryString(tag('b'))}`));
    const tags: Record<string, string> = { ...LIST, 'ResourceId.1': GROUP };
    for (let i = 1; i <= 21; i++) Object.assign(tags, { [`Tag.${i}.Key`]: `k${i}`, [`Tag.${i}.Value`]: 'v' });
    await rpc('TagResources', tags);
    await rpc('TagResources', { ...LIST, 'ResourceId.1': GROUP, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }, { creds: READ_ONLY });
    await rpc('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP }, { creds: READ_ONLY });
    // ENS's own codes.
    await rpc('BatchEventRebootInstance', { EventInfos: 'nope' }, { version: ENS_VERSION });
    await rpc('DescribeHistoryEvents', {}, { version: ENS_VERSION });
    await rpc('DescribeInstances', {}, { version: ENS_VERSION, creds: READ_ONLY });
    // The engine's own failures: a fault rule, and a change that cannot be made durable (a full disk).
    await t.http.post('/_emulator/faults').send({ provider: 'alibaba', operation: 'ListTagResources', count: 1 }).expect(201);
    await rpc('ListTagResources', LIST);
    // The throttle fault kind answers the protocol's documented throttling code.
    await t.http.post('/_emulator/faults').send({ provider: 'alibaba', operation: 'ListTagResources', throttle: true, count: 1 }).expect(201);
    await rpc('ListTagResources', LIST);
    ffs.space = 0;
    note(await request(t.url).post(`/?${queryString(LIST)}`).set(signAcs3(new URL(t.url).host, 'UntagResources', { ...LIST, 'ResourceId.1': 'eci-done00000000000001', All: 'true' })).query({ ...LIST, 'ResourceId.1': 'eci-done00000000000001', All: 'true' }));
    ffs.space = undefined;
    expect([...seen].sort()).toEqual([...catalogue()].sort());
  } finally {
    ffs.space = undefined;
    await t.close();
  }
});
