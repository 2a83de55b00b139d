/**
 * Issue 17: an ECE restart costs in proportion to what it changes. The deployment it restarts is
 * logged as an edit (the resource's new plan, a few times and counters), not whole, so the bytes a
 * restart appends do not grow with the deployment (other resources, their plans) nor with the
 * history; the one whole entry written is the attempt it retires (history.ts). A kill -9 and a
 * restart of the process give back the same state, text for text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { copyStats } from '../../src/core/copy.js';
import { diffStats } from '../../src/core/edit.js';
import { recordingStats } from '../../src/core/recording.js';
import { startCli } from '../support/child.js';
import type { TestEmulator } from '../support/emulator.js';
import { startTestEmulator } from '../support/emulator.js';
import { RESTART, call } from './support.js';

const KEY = { Authorization: 'ApiKey bench' };
const SMALL = '0'.repeat(31) + '1';
const LARGE = '0'.repeat(31) + '2';

/** The small deployment has one Kibana; the large one 40 more, each with its own plan. */
const deployments = () => [
  { id: SMALL, name: 'small', resources: { kibana: [{ ref_id: 'k0', info: { status: 'started' } }] } },
  { id: LARGE, name: 'large', resources: { kibana: Array.from({ length: 41 }, (_, i) => ({ ref_id: `k${i}`, info: { status: 'started' } })) } },
];

let dir: string;
let data: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ece-write-cost-'));
  data = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const logBytes = () => fs.statSync(`${data}.log`).size;

test('a restart appends as many bytes to a deployment of 41 resources as to one of 1, after 2 restarts as after 30; no deployment is written whole', async () => {
  const t: TestEmulator = await startTestEmulator({ data });
  try {
    await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0 }).expect(200);
    await t.seed({ elastic: { apiKeys: [{ key: 'bench' }], deployments: deployments() } });
    const restart = async (dep: string) => {
      const before = logBytes();
      expect((await call(t, RESTART, 'post', `/api/v1/deployments/${dep}/kibana/k0/_restart`, KEY)).status).toBe(202);
      return logBytes() - before;
    };
    // The first restart of each expands its seed into the full deployment (written whole, once).
    await restart(SMALL);
    await restart(LARGE);
    const stats = { ...t.ctx.store.stats };
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < 30; i++) {
      small.push(await restart(SMALL));
      large.push(await restart(LARGE));
    }
    const size = (id: string) => JSON.stringify(t.ctx.store.get('elastic.deployments', id)).length;
    expect(size(LARGE)).toBeGreaterThan(10 * size(SMALL));
    // Ids are as long; a count or a number of attempts may gain a digit.
    for (let i = 0; i < 30; i++) expect(Math.abs(large[i]! - small[i]!)).toBeLessThanOrEqual(8);
    expect(Math.abs(small[29]! - small[0]!)).toBeLessThanOrEqual(8);
    expect(small[29]).toBeLessThan(size(SMALL));
    // Per restart: one edit (the deployment) and one whole entry (the attempt retired to the history).
    const s = t.ctx.store.stats;
    expect(s.editRecords - stats.editRecords).toBe(60);
    expect(s.entryRecords - stats.entryRecords).toBe(60);
    expect(s.wholeUpdates).toBe(stats.wholeUpdates);
    // The journal shows what changed, field by field, inside arrays too (the clock is manual: no time changed).
    const [last] = (await t.http.get('/_emulator/requests?limit=1').expect(200)).body.requests;
    const deployment = (field: string, from: unknown, to: unknown) => ({ collection: 'elastic.deployments', id: LARGE, field, from, to });
    expect(last.changes).toEqual([
      { collection: 'elastic.planHistory', id: `${LARGE}/kibana/r20/k0`, field: '', to: 'created' },
      deployment('resources.kibana.0.info.metadata.version', 31, 32),
      deployment('resources.kibana.0.info.plan_info.current.plan_attempt_id', expect.any(String), expect.any(String)),
      deployment('resources.kibana.0.info.plan_info.current.plan_attempt_name', 'attempt-0000000030', 'attempt-0000000031'),
      deployment('resources.kibana.0._emulator.nextAttempt', 31, 32),
      deployment('resources.kibana.0._emulator.planHistory.count', 30, 31),
    ]);
  } finally {
    await t.close();
  }
});

test('a restart copies, compares and visits as many values in a deployment of 41 resources as in one of 1, after 2 restarts as after 30: the deployment is never copied nor diffed whole', async () => {
  const t: TestEmulator = await startTestEmulator({ data });
  try {
    await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0 }).expect(200);
    await t.seed({ elastic: { apiKeys: [{ key: 'bench' }], deployments: deployments() } });
    const restart = async (dep: string) => {
      const at = { copied: copyStats.containers, compared: diffStats.compared, visited: recordingStats.visited, ops: recordingStats.ops };
      expect((await call(t, RESTART, 'post', `/api/v1/deployments/${dep}/kibana/k0/_restart`, KEY)).status).toBe(202);
      return { copied: copyStats.containers - at.copied, compared: diffStats.compared - at.compared, visited: recordingStats.visited - at.visited, ops: recordingStats.ops - at.ops };
    };
    // The first restart of each expands its seed into the full deployment (copied and diffed, once).
    await restart(SMALL);
    await restart(LARGE);
    const small = [];
    const large = [];
    for (let i = 0; i < 30; i++) {
      small.push(await restart(SMALL));
      large.push(await restart(LARGE));
    }
    const size = (id: string) => JSON.stringify(t.ctx.store.get('elastic.deployments', id)).length;
    expect(size(LARGE)).toBeGreaterThan(10 * size(SMALL));
    for (let i = 0; i < 30; i++) expect(large[i]).toEqual(small[i]);
    expect(small[29]).toEqual(small[0]);
    // What a restart does copy: the plan it starts from and, for the journal, the attempt it retires (one resource's, a few dozen values).
    expect(small[0]!.copied).toBeGreaterThan(0);
    expect(small[0]!.copied).toBeLessThan(60);
    expect(small[0]!.compared).toBe(0);
  } finally {
    await t.close();
  }
});

test('restarts logged as edits, kill -9, start again: the same state, text for text', async () => {
  const fixtures = path.join(dir, 'fixtures.json');
  fs.writeFileSync(fixtures, JSON.stringify({ elastic: { apiKeys: [{ key: 'bench' }], deployments: deployments() } }));
  const args = ['--data', data, '--fixtures', fixtures, '--port', '0', '--log-level', 'warn', '--clock', 'manual', '--transition', 'elastic.restart=1h'];
  const first = await startCli(args);
  try {
    for (const [dep, ref] of [[SMALL, 'k0'], [LARGE, 'k3'], [LARGE, 'k7']] as const) {
      await request(first.url).post(`/api/v1/deployments/${dep}/kibana/${ref}/_restart`).set(KEY).expect(202);
    }
    // Half-way through the plans, then to their end and a second round left pending.
    await request(first.url).post('/_emulator/clock').send({ advanceMs: 1_800_000 }).expect(200);
    await request(first.url).post('/_emulator/clock').send({ advanceMs: 1_800_000 }).expect(200);
    await request(first.url).post(`/api/v1/deployments/${LARGE}/kibana/k3/_restart`).set(KEY).expect(202);
    await request(first.url).post(`/api/v1/deployments/${SMALL}/kibana/k0/_restart?cancel_pending=true`).set(KEY).expect(202);
    const log = fs.readFileSync(`${data}.log`, 'utf8');
    expect(log).toContain('"e":{');
    const before = (await request(first.url).get('/_emulator/state').expect(200)).text;
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startCli(args);
    try {
      const after = (await request(second.url).get('/_emulator/state').expect(200)).text;
      expect(after).toBe(before);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
  }
});
