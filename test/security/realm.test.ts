/**
 * The prototype check in the realm the server code really runs in: a built emulator in its own
 * process is sent every pollution payload of this suite and the whole generated robustness corpus
 * (every malformed request for every operation of every provider), then asked over IPC what
 * Object.prototype and Array.prototype hold. They must hold nothing enumerable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { alibabaCases, alibabaSeed } from '../robustness/support/alibaba.js';
import { elasticCases, elasticSeed } from '../robustness/support/elastic.js';
import { huaweiCases, huaweiSeed } from '../robustness/support/huawei.js';
import { prng, send, type Case } from '../robustness/support/fuzz.js';
import { ROOT } from '../support/child.js';
import { deepArray, deepObject } from './support.js';

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, [path.join(ROOT, 'test', 'support', 'realm-child.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
});

afterAll(async () => {
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
});

function ask(): Promise<{ object: string[]; array: string[]; polluted: unknown; x: unknown }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as never));
    child.send('prototypes');
  });
}

const POLLUTING: Array<[string, string, string]> = [
  ['post', '/_emulator/seed', '{"__proto__":{"x":true},"alibaba":5}'],
  ['post', '/_emulator/seed', '{"alibaba":{"__proto__":{"polluted":true}}}'],
  ['post', '/_emulator/seed', '{"alibaba":{"constructor":{"prototype":{"polluted":true}}}}'],
  ['put', '/_emulator/state', '{"__proto__":{"x":true}}'],
  ['post', '/_emulator/seed', '{"huawei":{"koophone":{"instances":[{"instance_id":"p1","project_id":"0123456789abcdef0123456789abcdef","_emulator":{"steps":[{"dueAt":1768464001000,"set":{"__proto__.polluted":true}}]}}]}}}'],
  ['post', '/_emulator/seed', '{"huawei":{"koophone":{"instances":[{"instance_id":"p2","project_id":"0123456789abcdef0123456789abcdef","_emulator":{"steps":[{"dueAt":1768464001000,"set":{"constructor.prototype.polluted":true}}]}}]}}}'],
  ['patch', '/_emulator/settings', '{"__proto__":{"x":true}}'],
  ['put', '/_emulator/transitions', '{"__proto__":{"x":true}}'],
  ['post', '/_emulator/faults', '[{"__proto__":{"x":true}}]'],
  ['post', '/_emulator/seed', deepArray(10_000)],
  ['put', '/_emulator/state', deepObject(2_000)],
  ['post', '/_emulator/clock', '{"set":1e300}'],
  ['post', '/_emulator/clock', '{"advanceMs":9007199254740991}'],
];

test('control-plane payloads, then the whole robustness corpus: the child process prototypes stay clean', async () => {
  for (const [method, route, body] of POLLUTING) {
    const res = await (request(url) as any)[method](route).set('Content-Type', 'application/json').send(body);
    expect({ route, body: body.slice(0, 80), status: res.status }).toEqual({ route, body: body.slice(0, 80), status: 400 });
  }
  await request(url).post('/_emulator/clock').send({ advanceMs: 10_000 }).expect(200);
  expect(await ask()).toEqual({ object: [], array: [], polluted: null, x: null });

  await request(url).post('/_emulator/seed').send({ ...alibabaSeed(), ...huaweiSeed(), ...elasticSeed() }).expect(200);
  const host = new URL(url).host;
  const state = (await request(url).get('/_emulator/state')).body;
  const rand = prng(7);
  const cases: Case[] = [...alibabaCases(host, rand), ...huaweiCases(host, rand), ...elasticCases(host, rand, state)];
  expect(cases.length).toBeGreaterThan(1000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const statuses: number[] = [];
  for (let i = 0; i < cases.length; i += 8) {
    const batch = await Promise.all(cases.slice(i, i + 8).map((c) => send(url, agent, c.req).then((r) => r.status, () => 0)));
    statuses.push(...batch);
  }
  agent.destroy();
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  await request(url).post('/_emulator/clock').send({ advanceMs: 3_600_000 }).expect(200);
  expect(await ask()).toEqual({ object: [], array: [], polluted: null, x: null });
  expect((await request(url).get('/_emulator/health')).status).toBe(200);
}, 120_000);
