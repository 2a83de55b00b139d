/**
 * Concurrency: many requests in flight at once, over their own connections.
 * - 200 simultaneous restarts of one resource, per provider: exactly one accepted, the rest the
 *   provider's wrong-state error (and the resource restarts once).
 * - 1,000 simultaneous changes to distinct resources (all four providers): every one acknowledged
 *   is in the data file after the emulator is closed and opened again.
 * - Simultaneous TagResources and UntagResources on one ECI resource: no lost update.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { KEY, signedCall } from './support/alibaba.js';
import { type RawRequest, type RawResponse, send } from './support/fuzz.js';

/** A resource's finished attempts in the state document: since issue 17 each is an entry of elastic.planHistory, oldest first. */
function historyOf(state: any, resource: any): any[] {
  return state.elastic.planHistory
    .filter((h: any) => h.kind === 'kibana' && h.ref_id === resource.ref_id)
    .sort((a: any, b: any) => a.index - b.index)
    .map((h: any) => h.attempt);
}


const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'conc-token';
const REGION = 'cn-hangzhou';
const hex32 = (prefix: string, i: number) => (prefix + i.toString(16).padStart(8, '0')).padEnd(32, '0');

function seedFor(n: number, offset = 0) {
  const ids = Array.from({ length: n }, (_, i) => i + offset);
  return {
    alibaba: {
      accessKeys: [{ AccessKeyId: KEY.id, AccessKeySecret: KEY.secret }],
      eci: { containerGroups: ids.map((i) => ({ ContainerGroupId: `eci-conc${String(i).padStart(6, '0')}`, RegionId: REGION, CreationTime: '2025-01-01T00:00:00Z' })) },
      ens: {
        instances: ids.map((i) => ({ InstanceId: `i-conc${String(i).padStart(6, '0')}` })),
        events: ids.map((i) => ({ EventId: `e-conc${String(i).padStart(6, '0')}`, ResourceId: `i-conc${String(i).padStart(6, '0')}` })),
      },
    },
    huawei: {
      tokens: [{ token: TOKEN, projectId: PROJECT }],
      koophone: { instances: ids.map((i) => ({ instance_id: `ph${String(i).padStart(6, '0')}`, project_id: PROJECT })) },
    },
    elastic: {
      apiKeys: [{ key: 'conc-admin', role: 'platform_admin' }],
      deployments: ids.map((i) => ({ id: hex32('dddd', i), resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'started' } }] } })),
    },
  };
}

const eciId = (i: number) => `eci-conc${String(i).padStart(6, '0')}`;
const eventId = (i: number) => `e-conc${String(i).padStart(6, '0')}`;
const ensInstance = (i: number) => `i-conc${String(i).padStart(6, '0')}`;
const phone = (i: number) => `ph${String(i).padStart(6, '0')}`;

const requests = {
  eciRestart: (host: string, i: number): RawRequest => signedCall(host, 'eci', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: eciId(i) }),
  ensReboot: (host: string, i: number): RawRequest =>
    signedCall(host, 'ens', 'BatchEventRebootInstance', { EventInfos: JSON.stringify([{ EventId: eventId(i), ResourceId: ensInstance(i), OpsType: 'immediate' }]) }),
  kooReboot: (i: number): RawRequest => ({
    method: 'POST',
    path: '/v1/instances/reboot',
    headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': `conc-${i}` },
    body: Buffer.from(JSON.stringify({ instance_ids: [phone(i)] })),
  }),
  eceRestart: (i: number): RawRequest => ({ method: 'POST', path: `/api/v1/deployments/${hex32('dddd', i)}/kibana/main-kibana/_restart`, headers: { authorization: 'ApiKey conc-admin' } }),
};

/** Sends every request at once, each on its own connection. */
async function together(t: TestEmulator, reqs: RawRequest[]): Promise<RawResponse[]> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  try {
    return await Promise.all(reqs.map((r) => send(t.url, agent, r)));
  } finally {
    agent.destroy();
  }
}

const counts = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});

describe.each(['in memory', 'with a data file'])('200 simultaneous restarts of one resource (%s)', (mode) => {
  let t: TestEmulator;
  let host: string;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mode === 'in memory' ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'concurrency-one-'));
    t = await startTestEmulator(dir ? { data: path.join(dir, 'state.json') } : {});
    await t.seed(seedFor(1));
    host = new URL(t.url).host;
  });
  afterAll(async () => {
    await t.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const N = 200;

  test('ECI RestartContainerGroup: one accepted, 199 IncorrectStatus, one restart', async () => {
    const res = await together(t, Array.from({ length: N }, () => requests.eciRestart(host, 0)));
    expect(counts(res.map((r) => `${r.status} ${r.json?.Code ?? 'ok'}`))).toEqual({ '200 ok': 1, '400 IncorrectStatus': N - 1 });
    await t.advance(2000);
    const group = (await t.state()).alibaba.eci.containerGroups[0];
    expect(group.Status).toBe('Running');
    expect(group.Containers[0].RestartCount).toBe(1);
  });

  test('ENS BatchEventRebootInstance of one event: one 200 item, 199 per-item failures', async () => {
    const res = await together(t, Array.from({ length: N }, () => requests.ensReboot(host, 0)));
    expect(counts(res.map((r) => String(r.status)))).toEqual({ 200: N });
    expect(res.every((r) => r.json.Results.length === 1)).toBe(true);
    expect(counts(res.map((r) => String(r.json.Results[0].Code)))).toEqual({ 200: 1, 400: N - 1 });
    expect(res.filter((r) => r.json.Results[0].Code === 400).every((r) => /already Executing/.test(r.json.Results[0].Message))).toBe(true);
    await t.advance(2000);
    const state = await t.state();
    expect(state.alibaba.ens.events[0].EventStatus).toBe('Executed');
    expect(state.alibaba.ens.instances[0].Status).toBe('Running');
  });

  test('KooPhone reboot: one accepted, 199 KOOPHONE.API.5005', async () => {
    const res = await together(t, Array.from({ length: N }, () => requests.kooReboot(0)));
    expect(counts(res.map((r) => `${r.status} ${r.json?.error_code}`))).toEqual({ '200 0': 1, '400 KOOPHONE.API.5005': N - 1 });
    await t.advance(2000);
    expect((await t.state()).huawei.koophone.instances[0].running_status).toBe(2);
  });

  test('ECE _restart: one accepted, 199 plan change errors (422), one plan in the history', async () => {
    const res = await together(t, Array.from({ length: N }, () => requests.eceRestart(0)));
    expect(counts(res.map((r) => `${r.status} ${r.json?.errors?.[0]?.code ?? 'ok'}`))).toEqual({ '202 ok': 1, '422 deployments.deployment_resource_plan_change_error': N - 1 });
    expect(res.filter((r) => r.status === 422).every((r) => r.headers['x-cloud-error-codes'] === 'deployments.deployment_resource_plan_change_error')).toBe(true);
    await t.advance(3000);
    const kibana = (await t.state()).elastic.deployments[0].resources.kibana[0];
    expect(kibana.info.status).toBe('started');
    expect(kibana.info.plan_info.pending).toBeUndefined();
    expect(historyOf(await t.state(), kibana)).toHaveLength(1);
  });

  test('ECE _restart?cancel_pending=true: each cancels the one before; one plan is left, every other in the history', async () => {
    await t.http.patch('/_emulator/settings').send({ 'elastic.planHistoryLimit': -1 }).expect(200); // keep every attempt
    const reqs = Array.from({ length: N }, () => ({ ...requests.eceRestart(0), path: `${requests.eceRestart(0).path}?cancel_pending=true` }));
    const res = await together(t, reqs);
    expect(counts(res.map((r) => String(r.status)))).toEqual({ 202: N });
    const kibana = (await t.state()).elastic.deployments[0].resources.kibana[0];
    expect(kibana.info.plan_info.pending).toBeDefined();
    // The plan the first restart replaced (the test before), then N - 1 cancelled attempts, each kept once.
    const attempts = historyOf(await t.state(), kibana).map((h: any) => h.plan_attempt_id);
    expect(new Set(attempts).size).toBe(attempts.length);
    expect(attempts).toHaveLength(1 + (N - 1));
    expect(new Set([...attempts, kibana.info.plan_info.pending.plan_attempt_id]).size).toBe(N + 1);
    await t.advance(3000);
    const done = (await t.state()).elastic.deployments[0].resources.kibana[0];
    expect(done.info.status).toBe('started');
    expect(done.info.plan_info.pending).toBeUndefined();
  });
});

test('200 simultaneous restarts with one ClientToken: one restart, and every answer is its replay', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concurrency-token-'));
  const t = await startTestEmulator({ data: path.join(dir, 'state.json') });
  try {
    await t.seed(seedFor(2));
    const host = new URL(t.url).host;
    const call = (id: string, token: string) => signedCall(host, 'eci', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: id, ClientToken: token });
    const res = await together(t, Array.from({ length: 200 }, () => call(eciId(0), 'same-token')));
    expect(counts(res.map((r) => String(r.status)))).toEqual({ 200: 200 });
    expect(new Set(res.map((r) => r.json.RequestId)).size).toBe(1);
    expect(new Set(res.map((r) => r.headers['x-acs-request-id'])).size).toBe(1);
    // One token raced with two sets of params: group 1 restarts (once), group 0 is still restarting.
    // Whatever the arrival order, every group-1 call answers the one success, and no group-0 call
    // succeeds (refused as restarting while the token is free, as a mismatch once it is taken).
    const ids = Array.from({ length: 100 }, (_, i) => (i % 2 ? eciId(0) : eciId(1)));
    const mixed = await together(t, ids.map((id) => call(id, 'other-token')));
    const one = mixed.filter((_, i) => ids[i] === eciId(1));
    expect(counts(one.map((r) => String(r.status)))).toEqual({ 200: 50 });
    expect(new Set(one.map((r) => r.json.RequestId)).size).toBe(1);
    const zero = mixed.filter((_, i) => ids[i] === eciId(0));
    expect(zero.every((r) => r.status === 400 && ['IncorrectStatus', 'IdempotentParameterMismatch'].includes(r.json.Code))).toBe(true);
    await t.advance(2000);
    const groups = (await t.state()).alibaba.eci.containerGroups;
    expect(groups.map((g: any) => g.Containers[0].RestartCount)).toEqual([1, 1]);
  } finally {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.each(['close', 'kill'] as const)('1,000 simultaneous changes to distinct resources: every acknowledged one is in the data file after a %s and a restart', async (stop) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concurrency-'));
  const data = path.join(dir, 'state.json');
  const PER = 250;
  try {
    let t = await startTestEmulator({ data });
    await t.seed(seedFor(PER));
    const host = new URL(t.url).host;
    const reqs: RawRequest[] = [];
    for (let i = 0; i < PER; i++) reqs.push(requests.eciRestart(host, i), requests.ensReboot(host, i), requests.kooReboot(i), requests.eceRestart(i));
    const res = await together(t, reqs);
    expect(res).toHaveLength(4 * PER);
    const bad = res.map((r, i) => ({ i, status: r.status, body: r.text.slice(0, 200) })).filter((r) => r.status !== 200 && r.status !== 202);
    expect(bad).toEqual([]);
    expect(res.filter((_, i) => i % 4 === 1).every((r) => r.json.Results[0].Code === 200)).toBe(true);
    if (stop === 'close') await t.close();
    else t.kill(); // no flush, no compaction: what was acknowledged must already be on disk

    t = await startTestEmulator({ data });
    try {
      const state = await t.state();
      const byId = <T extends Record<string, any>>(xs: T[], field: string) => new Map(xs.map((x) => [x[field], x]));
      const groups = byId(state.alibaba.eci.containerGroups, 'ContainerGroupId');
      const events = byId(state.alibaba.ens.events, 'EventId');
      const phones = byId(state.huawei.koophone.instances, 'instance_id');
      const deployments = byId(state.elastic.deployments, 'id');
      const missing: string[] = [];
      for (let i = 0; i < PER; i++) {
        if (groups.get(eciId(i))?.Status !== 'Restarting') missing.push(eciId(i));
        if (events.get(eventId(i))?.EventStatus !== 'Executing') missing.push(eventId(i));
        if (phones.get(phone(i))?.running_status !== 4) missing.push(phone(i));
        if (!deployments.get(hex32('dddd', i))?.resources.kibana[0].info.plan_info.pending) missing.push(hex32('dddd', i));
      }
      expect(missing).toEqual([]);
      // The reopened emulator carries the changes on: once due, every one has finished.
      await t.advance(3000);
      const after = await t.state();
      expect(after.alibaba.eci.containerGroups.filter((g: any) => g.Status !== 'Running')).toEqual([]);
      expect(after.alibaba.ens.events.filter((e: any) => e.EventStatus !== 'Executed')).toEqual([]);
      expect(after.huawei.koophone.instances.filter((p: any) => p.running_status !== 2)).toEqual([]);
      expect(after.elastic.deployments.filter((d: any) => d.resources.kibana[0].info.plan_info.pending)).toEqual([]);
    } finally {
      await t.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('simultaneous TagResources and UntagResources on one ECI resource', () => {
  let t: TestEmulator;
  let host: string;
  beforeAll(async () => {
    t = await startTestEmulator();
    host = new URL(t.url).host;
  });
  afterAll(() => t.close());

  test.each([1, 2, 3, 4, 5])('round %i: the final tags are a serial order’s result and every accepted change is in them', async (round) => {
    const group = `eci-tags-round${round}`;
    const initial = Array.from({ length: 9 }, (_, j) => ({ Key: `u${j}`, Value: `old${j}` }));
    await t.seed({ alibaba: { accessKeys: [{ AccessKeyId: KEY.id, AccessKeySecret: KEY.secret }], eci: { containerGroups: [{ ContainerGroupId: group, RegionId: REGION, Tags: initial }] } } });
    const base = { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': group };
    const tag = (key: string, value: string) => signedCall(host, 'eci', 'TagResources', { ...base, 'Tag.1.Key': key, 'Tag.1.Value': value });
    const untag = (key: string) => signedCall(host, 'eci', 'UntagResources', { ...base, 'TagKey.1': key });
    // Commuting changes (new keys, removed keys) interleaved with 20 writers racing for one key.
    const reqs: Array<{ kind: string; key: string; value?: string; req: RawRequest }> = [];
    for (let j = 0; j < 9; j++) {
      reqs.push({ kind: 'tag', key: `k${j}`, value: `new${j}`, req: tag(`k${j}`, `new${j}`) });
      reqs.push({ kind: 'untag', key: `u${j}`, req: untag(`u${j}`) });
    }
    for (let n = 0; n < 20; n++) reqs.push({ kind: 'tag', key: 'x', value: `v${n}`, req: tag('x', `v${n}`) });
    const order = reqs.map((_, i) => i).sort((a, b) => ((a * 7919 + round * 104729) % 97) - ((b * 7919 + round * 104729) % 97));
    const shuffled = order.map((i) => reqs[i]!);
    const res = await together(t, shuffled.map((r) => r.req));
    expect(res.map((r) => r.status)).toEqual(shuffled.map(() => 200));

    const tags: Array<{ Key: string; Value: string }> = (await t.state()).alibaba.eci.containerGroups.find((g: any) => g.ContainerGroupId === group).Tags;
    const final = new Map(tags.map((x) => [x.Key, x.Value]));
    expect(tags).toHaveLength(final.size); // no key twice
    for (const r of shuffled) {
      if (r.kind === 'untag') expect(final.has(r.key)).toBe(false);
      else if (r.key !== 'x') expect(final.get(r.key)).toBe(r.value);
    }
    // The 20 racing writers: exactly one of them is the last, as in some serial order.
    expect(shuffled.filter((r) => r.key === 'x').map((r) => r.value)).toContain(final.get('x'));
    expect([...final.keys()].sort()).toEqual([...Array.from({ length: 9 }, (_, j) => `k${j}`), 'x'].sort());
    // ListTagResources agrees with the stored document.
    const listed = await send(t.url, new http.Agent(), signedCall(host, 'eci', 'ListTagResources', { ...base, Limit: '50' }));
    expect(new Map(listed.json.TagResources.map((x: any) => [x.TagKey, x.TagValue]))).toEqual(final);
  });
});
