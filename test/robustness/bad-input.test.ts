/**
 * Bad input, for every operation of every provider: a generated (seeded, so repeatable) set of
 * malformed but otherwise valid requests. Each must get the provider's own error envelope (4xx;
 * noise a provider ignores on a read may also get its success), never a 5xx, an HTML page, a hang
 * or a crash; and the stored state and the clock are the same afterwards. Each operation's valid
 * request is sent last and succeeds, and no case but those that break the credentials is refused
 * for its credentials, so every case failed by what it breaks, not by its base.
 */
import http from 'node:http';
import net from 'node:net';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { alibabaCases, alibabaControls, alibabaEnvelope, alibabaSeed, alibabaStrictCases, spendNonce } from './support/alibaba.js';
import { elasticCases, elasticControls, elasticEnvelope, elasticPrepare, elasticSeed } from './support/elastic.js';
import { huaweiCases, huaweiControls, huaweiEnvelope, huaweiSeed } from './support/huawei.js';
import { pino } from 'pino';
import { type Case, type EnvelopeCheck, prng, runCases, send, snapshot } from './support/fuzz.js';

/** A logger that keeps error-level lines: the routers log an unexpected failure there. */
function errorLog() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'error' }, { write: (line: string) => void lines.push(line.slice(0, 500)) }) };
}

interface Suite {
  name: string;
  seed: () => Record<string, unknown>;
  cases: (host: string, rand: () => number, state: any) => Case[];
  envelope: (t: TestEmulator) => EnvelopeCheck;
  controls: (host: string, state: any) => Array<{ op: string; req: Case['req'] }>;
  /** Operations every case list must cover. */
  operations: string[];
  /** At least this many cases. */
  min: number;
  /** At least this many per operation. */
  perOp?: number;
  settings?: Record<string, unknown>;
  /** Runs before the state is taken (e.g. spending a nonce the cases reuse). */
  prepare?: (t: TestEmulator) => Promise<void>;
}

const SUITES: Suite[] = [
  {
    name: 'Alibaba ECI + ENS',
    seed: alibabaSeed,
    cases: alibabaCases,
    envelope: alibabaEnvelope,
    controls: alibabaControls,
    operations: ['RestartContainerGroup', 'UntagResources', 'TagResources', 'ListTagResources', 'DescribeContainerGroups', 'DescribeContainerGroupStatus', 'BatchEventRebootInstance', 'DescribeHistoryEvents', 'DescribeInstances'],
    min: 500,
  },
  {
    name: 'Alibaba ECI + ENS under strict auth',
    seed: alibabaSeed,
    cases: alibabaStrictCases,
    envelope: alibabaEnvelope,
    controls: alibabaControls,
    operations: ['RestartContainerGroup', 'UntagResources', 'TagResources', 'ListTagResources', 'DescribeContainerGroups', 'DescribeContainerGroupStatus', 'BatchEventRebootInstance', 'DescribeHistoryEvents', 'DescribeInstances'],
    min: 100,
    perOp: 12,
    settings: { 'alibaba.strictAuth': true },
    prepare: async (t) => {
      const res = await send(t.url, new http.Agent(), spendNonce(new URL(t.url).host));
      expect(res.status).toBe(200);
    },
  },
  {
    name: 'Huawei KooPhone + IAM',
    seed: huaweiSeed,
    cases: huaweiCases,
    envelope: huaweiEnvelope,
    controls: huaweiControls,
    operations: ['BatchRebootInstance', 'BatchQueryStatus', 'ListInstances', 'KeystoneCreateUserTokenByPassword'],
    min: 300,
  },
  {
    name: 'Elastic Cloud Enterprise',
    seed: elasticSeed,
    prepare: elasticPrepare,
    cases: elasticCases,
    envelope: elasticEnvelope,
    controls: (_host, state) => elasticControls(state),
    operations: [
      'login',
      'elevate-permissions',
      'disable-elevated-permissions',
      'refresh-token',
      'list-deployments',
      'get-deployment',
      'get-deployment-kib-resource-info',
      'get-deployment-apm-resource-info',
      'get-deployment-appsearch-resource-info',
      'get-deployment-enterprise-search-resource-info',
      'get-deployment-integrations-server-resource-info',
      'restart-deployment-stateless-resource',
      'shutdown-deployment-stateless-resource',
      'get-deployment-resource-plan-activity',
      'cancel-deployment-resource-pending-plan',
    ],
    min: 500,
  },
];

describe.each(SUITES)('$name: generated malformed requests', (suite) => {
  let t: TestEmulator;
  const log = errorLog();
  beforeAll(async () => {
    t = await startTestEmulator({ logger: log.logger, settings: suite.settings });
    await t.seed(suite.seed());
    await suite.prepare?.(t);
  });
  afterAll(() => t.close());

  test('every one gets the provider envelope, none a 5xx, and nothing changes', async () => {
    const host = new URL(t.url).host;
    // Seed 7 unless ROBUSTNESS_SEED names another (to explore; a failure prints each case's name to replay it).
    const cases = suite.cases(host, prng(Number(process.env.ROBUSTNESS_SEED ?? 7)), await t.state());
    expect(cases.length).toBeGreaterThanOrEqual(suite.min);
    expect([...new Set(cases.map((c) => c.op))].sort()).toEqual([...suite.operations].sort());
    const before = await snapshot(t);
    const result = await runCases(t, cases, suite.envelope(t));
    expect(result.failures).toEqual([]);
    // No handler failed unexpectedly (each router logs that at error level before answering).
    expect(log.lines).toEqual([]);
    for (const op of suite.operations) expect({ op, enough: result.byOp[op]! >= (suite.perOp ?? 20) }).toEqual({ op, enough: true });
    const after = await snapshot(t);
    expect(after.clock).toEqual(before.clock);
    expect(JSON.parse(after.state)).toEqual(JSON.parse(before.state));
    expect((await t.http.get('/_emulator/health')).status).toBe(200);

    // The same bases, unbroken, are accepted: the cases were refused for what they broke.
    const agent = new http.Agent({ keepAlive: false });
    for (const control of suite.controls(host, JSON.parse(after.state))) {
      const res = await send(t.url, agent, control.req);
      expect({ op: control.op, status: res.status, problem: suite.envelope(t)(res, { op: control.op, name: 'control', req: control.req, expect: 'tolerate' }) }).toEqual({ op: control.op, status: expect.any(Number), problem: undefined });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    }
    agent.destroy();
  });
});

test('an HTTP head over 64 KiB, or one that is not HTTP/1.1, gets a JSON answer and the emulator carries on', async () => {
  const t = await startTestEmulator();
  try {
    const agent = new http.Agent({ keepAlive: false });
    const huge = await send(t.url, agent, { method: 'GET', path: `/api/v1/deployments?x=${'a'.repeat(70 * 1024)}`, headers: {} });
    expect(huge.status).toBe(431);
    expect(huge.headers['content-type']).toBe('application/json');
    expect(huge.json.errors[0].code).toBe('request_header_fields_too_large');
    const broken = await send(t.url, agent, { method: 'GET', path: '/api/v1/deployments?x=\xff', headers: {} });
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0].code).toBe('bad_request');
    // Up to 64 KiB reaches the provider, which answers in its own envelope.
    const long = await send(t.url, agent, { method: 'GET', path: `/api/v1/deployments?x=${'a'.repeat(40 * 1024)}`, headers: {} });
    expect(long.status).toBe(401);
    expect(long.headers['x-cloud-error-codes']).toBe('root.unauthorized');
    agent.destroy();
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
  } finally {
    await t.close();
  }
});

test('clients that hang up mid-request, on every provider, neither crash the emulator nor change its state', async () => {
  const log = errorLog();
  const t = await startTestEmulator({ logger: log.logger });
  try {
    await t.seed({ ...alibabaSeed(), ...huaweiSeed(), ...elasticSeed() });
    const before = await snapshot(t);
    const { port } = new URL(t.url);
    const heads = [
      'POST /?Action=RestartContainerGroup&Version=2018-08-08 HTTP/1.1\r\nHost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 5000\r\n\r\nRegionId=cn-hang',
      'POST /v1/instances/reboot HTTP/1.1\r\nHost: x\r\nx-auth-token: test-token-project-a\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"instance_ids":["hwro',
      'POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n10\r\n{"auth":{"identi',
      `POST /api/v1/deployments/${'abcdef0123456789abcdef0123456789'}/kibana/main-kibana/_restart HTTP/1.1\r\nHost: x\r\nauthorization: ApiKey robust-admin\r\ncontent-length: 100\r\n\r\n{`,
      'GET /api/v1/deployments HTTP/1.1\r\nHost: x\r\nauthorization: ApiKe',
    ];
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        heads.map(
          (head) =>
            new Promise<void>((resolve) => {
              const socket = net.connect(Number(port), '127.0.0.1', () => {
                socket.write(head);
                setTimeout(() => socket.destroy(), round % 2 === 0 ? 0 : 20);
              });
              socket.on('close', () => resolve());
              socket.on('error', () => resolve());
            }),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
    expect(log.lines).toEqual([]);
    const after = await snapshot(t);
    expect(after.clock).toEqual(before.clock);
    expect(JSON.parse(after.state)).toEqual(JSON.parse(before.state));
  } finally {
    await t.close();
  }
});
