/**
 * A full disk, as every provider's client meets it (finding 3 of issue 11: "answered 500, applied
 * anyway"). The store's file-system layer runs out of space on demand: each write is then refused
 * in the provider's own service-unavailable style, nothing of it stays (in memory, nor after a
 * restart), reads go on, and writes succeed again once there is space, without a restart.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { FaultyFs } from '../support/faulty-fs.js';
import { KEY, signedCall } from './support/alibaba.js';
import { type RawRequest, send } from './support/fuzz.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'full-token';
const REGION = 'cn-hangzhou';
const DEP = 'f'.repeat(32);

const seed = {
  alibaba: {
    accessKeys: [{ AccessKeyId: KEY.id, AccessKeySecret: KEY.secret }],
    eci: { containerGroups: [{ ContainerGroupId: 'eci-full0001', RegionId: REGION, CreationTime: '2025-01-01T00:00:00Z' }] },
  },
  huawei: { tokens: [{ token: TOKEN, projectId: PROJECT }], koophone: { instances: [{ instance_id: 'phfull01', project_id: PROJECT, running_status: 2 }] } },
  elastic: { apiKeys: [{ key: 'full-admin', role: 'platform_admin' }], deployments: [{ id: DEP, resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'started' } }] } }] },
};

const kooReboot = (): RawRequest => ({
  method: 'POST',
  path: '/v1/instances/reboot',
  headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': 'full-1' },
  body: Buffer.from(JSON.stringify({ instance_ids: ['phfull01'] })),
});
const eceRestart = (): RawRequest => ({ method: 'POST', path: `/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`, headers: { authorization: 'ApiKey full-admin' } });
const seedMore = (): RawRequest => ({
  method: 'POST',
  path: '/_emulator/seed',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ huawei: { koophone: { instances: [{ instance_id: 'phfull02', project_id: PROJECT }] } } })),
});

let dir: string;
let data: string;
let ffs: FaultyFs;
let t: TestEmulator;
const agent = new http.Agent({ keepAlive: true });
const call = (r: RawRequest) => send(t.url, agent, r);
const eciRestart = () => signedCall(new URL(t.url).host, 'eci', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-full0001' });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-full-'));
  data = path.join(dir, 'state.json');
  ffs = new FaultyFs();
  t = await startTestEmulator({ data, fileSystem: ffs });
  await t.seed(seed);
});
afterAll(async () => {
  agent.destroy();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('while the disk is full', () => {
  beforeAll(() => {
    ffs.space = 0;
  });

  test('a KooPhone reboot is KOOPHONE.API.9999 (500), and the phone is still running', async () => {
    const res = await call(kooReboot());
    expect([res.status, res.json.error_code]).toEqual([500, 'KOOPHONE.API.9999']);
    expect((await t.state()).huawei.koophone.instances[0].running_status).toBe(2);
  });

  test('an ECE restart is root.unexpected_error (500), and kibana is still started with no pending plan', async () => {
    const res = await call(eceRestart());
    expect([res.status, res.json.errors[0].code, res.headers['x-cloud-error-codes']]).toEqual([500, 'root.unexpected_error', 'root.unexpected_error']);
    const kibana = (await t.state()).elastic.deployments[0].resources.kibana[0];
    expect(kibana.info.status).toBe('started');
    expect(kibana.info.plan_info?.pending).toBeUndefined();
  });

  test('an ECI restart is 503 ServiceUnavailable in the Alibaba envelope, and the group is not restarting', async () => {
    const res = await call(eciRestart());
    expect([res.status, res.json.Code]).toEqual([503, 'ServiceUnavailable']);
    expect(typeof res.json.RequestId).toBe('string');
    expect((await t.state()).alibaba.eci.containerGroups[0].Status).not.toBe('Restarting');
  });

  test('a seed through the control plane is 507, and the entry is not there', async () => {
    const res = await call(seedMore());
    expect(res.status).toBe(507);
    expect(res.json.errors[0].message).toMatch(/not applied/);
    expect((await t.state()).huawei.koophone.instances.map((i: any) => i.instance_id)).toEqual(['phfull01']);
  });

  test('reads go on', async () => {
    const res = await call({ method: 'GET', path: `/api/v1/deployments/${DEP}`, headers: { authorization: 'ApiKey full-admin' } });
    expect([res.status, res.json.id]).toEqual([200, DEP]);
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
  });
});

describe('once there is space again, without a restart', () => {
  beforeAll(() => {
    ffs.space = undefined;
  });

  test('each write succeeds', async () => {
    expect((await call(kooReboot())).status).toBe(200);
    expect((await call(eceRestart())).status).toBe(202);
    expect((await call(eciRestart())).status).toBe(200);
    expect((await call(seedMore())).status).toBe(200);
  });

  test('after a restart the data file holds what was acknowledged and nothing that was refused', async () => {
    t.kill();
    t = await startTestEmulator({ data });
    const state = await t.state();
    expect(state.huawei.koophone.instances.map((i: any) => [i.instance_id, i.running_status])).toEqual([
      ['phfull01', 4],
      ['phfull02', 2],
    ]);
    expect(state.elastic.deployments[0].resources.kibana[0].info.plan_info.pending).toBeDefined();
    expect(state.alibaba.eci.containerGroups[0].Status).toBe('Restarting');
    expect(fs.readFileSync(`${data}.log`, 'utf8').endsWith('\n')).toBe(true);
  });
});
