/**
 * Issue 10: growth a client can drive, each bounded and tested by counting what is kept (never by
 * timing): ECE bearer tokens, Huawei IAM tokens, strict-mode nonces (and their replay after a
 * restart), ClientToken records, and list filters.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { nonceMemories } from '../../src/providers/alibaba/nonces.js';
import { ACCESS_KEYS, group, queryString, signRpc } from '../alibaba/eci/support.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { PROJECT } from '../huawei/support.js';

const HOUR = 60 * 60 * 1000;
/** The documented bounds (README): live ECE bearer tokens, issued IAM tokens, strict-mode nonces. */
const MAX_LIVE_TOKENS = 1000;
const MAX_ISSUED_TOKENS = 1000;
const NONCE_CAPACITY = 10_000;
const START = Date.parse('2026-01-15T08:00:00.000Z');

describe('ECE bearer tokens', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(() => t.close());

  const login = () => t.http.post('/api/v1/users/auth/_login').set('Content-Type', 'application/json').send({ username: 'admin', password: 'pw' });
  const tokens = async () => (await t.state()).elastic.tokens as Array<{ token: string; expiresAt: number }>;

  test(`live tokens are capped at ${MAX_LIVE_TOKENS}: 5,000 live tokens and one login leave the cap`, async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({ token: `seeded-${i}`, username: 'admin', issuedAt: START, expiresAt: START + HOUR }));
    await t.seed({ elastic: { users: [{ username: 'admin', password: 'pw' }], tokens: many } });
    const res = await login();
    expect(res.status).toBe(200);
    const kept = await tokens();
    expect(kept).toHaveLength(MAX_LIVE_TOKENS);
    // The oldest were dropped; the new one is kept.
    expect(kept.at(-1)!.token).toBe(res.body.token);
    expect(kept[0]!.token).toBe(`seeded-${5_000 - MAX_LIVE_TOKENS + 1}`);
  });

  test('after a 2 h jump one login drops every expired token, whatever order they expire in', async () => {
    // A long-lived token first: it must not hold back the pruning of the expired ones behind it.
    const many = [{ token: 'long-lived', username: 'admin', issuedAt: START, expiresAt: START + 100 * HOUR }, ...Array.from({ length: 900 }, (_, i) => ({ token: `seeded-${i}`, username: 'admin', issuedAt: START, expiresAt: START + HOUR }))];
    await t.seed({ elastic: { users: [{ username: 'admin', password: 'pw' }], tokens: many } });
    await t.advance(2 * HOUR);
    const res = await login();
    expect(res.status).toBe(200);
    expect((await tokens()).map((x) => x.token)).toEqual(['long-lived', res.body.token]);
  });

  test('a restart replays the pruning from the log: the same tokens are kept', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sec-ece-'));
    try {
      const data = path.join(dir, 'state.json');
      const a = await startTestEmulator({ data });
      const many = Array.from({ length: 1_500 }, (_, i) => ({ token: `seeded-${i}`, username: 'admin', issuedAt: START, expiresAt: START + HOUR }));
      await a.seed({ elastic: { users: [{ username: 'admin', password: 'pw' }], tokens: many } });
      await a.advance(2 * HOUR);
      expect((await a.http.post('/api/v1/users/auth/_login').send({ username: 'admin', password: 'pw' })).status).toBe(200);
      const before = (await a.state()).elastic.tokens;
      await a.kill();
      const b = await startTestEmulator({ data });
      expect((await b.state()).elastic.tokens).toEqual(before);
      expect(before).toHaveLength(1);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Huawei IAM tokens', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
    await t.seed({ huawei: { users: [{ name: 'alice', password: 'pw', domain: 'acme', projectId: PROJECT, projectName: 'cn-south-1' }], tokens: [{ token: 'seeded-forever', projectId: PROJECT }, { token: 'seeded-expired', projectId: PROJECT, expiresAt: '2026-01-15T08:30:00Z' }] } });
  });
  afterEach(() => t.close());

  const body = { auth: { identity: { methods: ['password'], password: { user: { name: 'alice', password: 'pw', domain: { name: 'acme' } } } }, scope: { project: { name: 'cn-south-1' } } } };
  const login = () => t.http.post('/v3/auth/tokens').set('Content-Type', 'application/json').send(body);
  const tokens = async () => (await t.state()).huawei.tokens as Array<{ token: string; userName?: string }>;

  test('issued tokens expired for more than a day are dropped three days later; seeded ones stay', async () => {
    for (let i = 0; i < 50; i++) expect((await login()).status).toBe(201);
    await t.advance(3 * 24 * HOUR);
    const res = await login();
    expect(res.status).toBe(201);
    const kept = await tokens();
    expect(kept.map((x) => x.token)).toEqual(['seeded-forever', 'seeded-expired', res.headers['x-subject-token']]);
  });

  test('an issued token just expired still answers APIGW.0307 (kept for a day)', async () => {
    const first = await login();
    await t.advance(25 * HOUR - 1);
    expect((await login()).status).toBe(201);
    const res = await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', first.headers['x-subject-token']).set('x-request-id', 'r').set('Content-Type', 'application/json').send({ instance_ids: ['x'] });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0307');
  });

  test(`issued tokens are capped at ${MAX_ISSUED_TOKENS}`, async () => {
    const issued = Array.from({ length: 5_000 }, (_, i) => ({ token: `issued-${i}`, projectId: PROJECT, userName: 'alice', expiresAt: '2026-01-16T08:00:00Z' }));
    await t.seed({ huawei: { tokens: issued } });
    expect((await login()).status).toBe(201);
    const kept = await tokens();
    expect(kept.filter((x) => x.userName !== undefined)).toHaveLength(MAX_ISSUED_TOKENS);
    expect(kept.filter((x) => x.userName === undefined)).toHaveLength(2);
  });
});

/** Sends many requests over a few keep-alive connections (counting, not timing: only the answers matter). */
async function sendAll(url: string, paths: string[], concurrency = 16): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: number[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      statuses[i] = await new Promise<number>((resolve, reject) => {
        http
          .get(`${url}${paths[i]}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          })
          .on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return statuses;
}

describe('Alibaba strict-mode nonces', () => {
  const describeCall = (nonce: string, timestamp = '2026-01-15T08:00:00Z') =>
    `/?${queryString(signRpc('GET', 'DescribeContainerGroups', { RegionId: 'cn-hangzhou' }, { nonce, timestamp }))}`;

  test(`under a frozen clock the memory holds at most ${NONCE_CAPACITY} nonces, and what it forgot never replays`, async () => {
    const t = await startTestEmulator({ settings: { 'alibaba.strictAuth': true } });
    try {
      await t.seed({ alibaba: { accessKeys: ACCESS_KEYS } });
      const first = describeCall('nonce-first');
      expect((await request(t.url).get(first)).status).toBe(200);
      const statuses = await sendAll(t.url, Array.from({ length: NONCE_CAPACITY }, (_, i) => describeCall(`nonce-${i}`)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      const stats = nonceMemories.get(t.ctx)!.stats;
      expect(stats.size).toBeLessThanOrEqual(NONCE_CAPACITY);
      expect(stats.forgotten).toBeGreaterThan(0);
      // The forgotten nonce is refused all the same, and so is anything signed at that instant.
      const replay = await request(t.url).get(first);
      expect(replay.status).toBe(400);
      expect(replay.body.Code).toBe('InvalidTimeStamp.Expired');
      const late = await request(t.url).get(describeCall('nonce-new'));
      expect(late.body.Code).toBe('InvalidTimeStamp.Expired');
      // A request signed later is fine.
      expect((await request(t.url).get(describeCall('nonce-new', '2026-01-15T08:00:01Z'))).status).toBe(200);
    } finally {
      await t.close();
    }
    // 10,000 requests: about 12 s alone, more while the whole suite runs (counted, never timed).
  }, 120_000);

  test('nonces too old for the 15-minute check are forgotten as the clock moves; a clock set back does not revive them', async () => {
    const t = await startTestEmulator({ settings: { 'alibaba.strictAuth': true } });
    try {
      await t.seed({ alibaba: { accessKeys: ACCESS_KEYS } });
      const first = describeCall('n-1');
      expect((await request(t.url).get(first)).status).toBe(200);
      await t.advance(HOUR);
      expect((await request(t.url).get(describeCall('n-2', '2026-01-15T09:00:00Z'))).status).toBe(200);
      expect(nonceMemories.get(t.ctx)!.stats).toEqual({ size: 1, forgotten: 1 });
      expect((await request(t.url).post('/_emulator/clock').send({ set: '2026-01-15T08:00:00.000Z' })).status).toBe(200);
      const replay = await request(t.url).get(first);
      expect(replay.status).toBe(400);
      expect(replay.body.Code).toBe('InvalidTimeStamp.Expired');
    } finally {
      await t.close();
    }
  });

  test('a captured signed request does not replay after a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sec-nonce-'));
    try {
      const data = path.join(dir, 'state.json');
      const options = { data, settings: { 'alibaba.strictAuth': true } };
      const a = await startTestEmulator(options);
      await a.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group('eci-replay0000000000001')] } } });
      const captured = `/?${queryString(signRpc('GET', 'RestartContainerGroup', { RegionId: 'cn-hangzhou', ContainerGroupId: 'eci-replay0000000000001' }, { nonce: 'captured' }))}`;
      expect((await request(a.url).get(captured)).status).toBe(200);
      expect((await request(a.url).get(captured)).body.Code).toBe('SignatureNonceUsed');
      await a.kill();
      const b = await startTestEmulator(options);
      try {
        await b.advance(5_000); // the group is Running again: a replay would restart it
        const replay = await request(b.url).get(captured);
        expect(replay.status).toBe(400);
        expect(replay.body.Code).toBe('InvalidTimeStamp.Expired');
        expect((await b.state()).alibaba.eci.containerGroups[0].Status).toBe('Running');
        // A request signed after the restart's horizon is served.
        const fresh = `/?${queryString(signRpc('GET', 'DescribeContainerGroups', { RegionId: 'cn-hangzhou' }, { nonce: 'fresh', timestamp: '2026-01-15T08:00:05Z' }))}`;
        expect((await request(b.url).get(fresh)).status).toBe(200);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ClientToken records', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
    await t.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group('eci-token00000000000001')] } } });
  });
  afterEach(() => t.close());

  const call = (action: string, api: Record<string, string>) => `/?${queryString(signRpc('GET', action, api))}`;

  test('read-only calls remember no token: 1,500 Describe calls with tokens keep nothing', async () => {
    const paths = Array.from({ length: 1_500 }, (_, i) => call(i % 2 ? 'DescribeContainerGroups' : 'DescribeContainerGroupStatus', { RegionId: 'cn-hangzhou', ClientToken: `read-${i}` }));
    paths.push(call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'ContainerGroup', ClientToken: 'list' }));
    const statuses = await sendAll(t.url, paths);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await t.state()).emulator.idempotency).toEqual([]);
  });

  test('a state-changing call remembers its token, and what it keeps is its small answer', async () => {
    const res = await request(t.url).get(call('RestartContainerGroup', { RegionId: 'cn-hangzhou', ContainerGroupId: 'eci-token00000000000001', ClientToken: 'change-1' }));
    expect(res.status).toBe(200);
    const records = (await t.state()).emulator.idempotency;
    expect(records).toHaveLength(1);
    expect(records[0].response).toEqual({ RequestId: res.body.RequestId });
  });
});

describe('list filters', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    // Room for the 100,000-value filters (the default body limit, 1 MiB, would answer 413 first).
    t = await startTestEmulator({ bodyLimit: 16 * 1024 * 1024 });
    await t.seed({
      alibaba: {
        accessKeys: ACCESS_KEYS,
        eci: { containerGroups: Array.from({ length: 50 }, (_, i) => group(`eci-filter${String(i).padStart(13, '0')}`)) },
        ens: { instances: [{ InstanceId: 'i-1' }], events: [{ EventId: 'e-1', ResourceId: 'i-1' }] },
      },
    });
  });
  afterAll(() => t.close());

  const form = (action: string, api: Record<string, string>, version?: string) =>
    request(t.url).post('/').set('Content-Type', 'application/x-www-form-urlencoded').send(queryString(signRpc('POST', action, api, { version })));

  test.each(['DescribeContainerGroups', 'DescribeContainerGroupStatus'])('%s: 40,000 Tag.N filters → NumberExceed.Tags; 20 are fine', async (action) => {
    const many: Record<string, string> = { RegionId: 'cn-hangzhou' };
    for (let i = 1; i <= 40_000; i++) many[`Tag.${i}.Key`] = 'env';
    const res = await form(action, many);
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('NumberExceed.Tags');
    const twenty: Record<string, string> = { RegionId: 'cn-hangzhou' };
    for (let i = 1; i <= 20; i++) twenty[`Tag.${i}.Key`] = 'env';
    const ok = await form(action, twenty);
    expect(ok.status).toBe(200);
    expect(ok.body.TotalCount).toBe(50);
  });

  test.each(['EventTypes', 'EventStatus', 'EventLevels', 'ResourceIds'])('DescribeHistoryEvents: 100,000 values of %s → InvalidParameter.<name>; 100 are fine', async (name) => {
    const base: Record<string, string> = { EventTypes: 'Instance:SystemMaintenance.Reboot' };
    const value = (n: number) => Array.from({ length: n }, (_, i) => (name === 'EventTypes' ? 'Instance:SystemMaintenance.Reboot' : name === 'ResourceIds' ? (i === 0 ? 'i-1' : `i-${i + 1}`) : i === 0 ? (name === 'EventStatus' ? 'Inquiring' : 'WARN') : `x${i}`)).join(',');
    const res = await form('DescribeHistoryEvents', { ...base, [name]: value(100_000) }, '2017-11-10');
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe(`InvalidParameter.${name}`);
    const ok = await form('DescribeHistoryEvents', { ...base, [name]: value(100) }, '2017-11-10');
    expect(ok.status).toBe(200);
    expect(ok.body.TotalCount).toBe(1);
  });
});
