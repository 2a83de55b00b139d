/**
 * The data file against real processes (issue 11): kill -9 leaving a torn log tail, then more
 * writes, then a restart; two emulators on one file; a data file or log that cannot be accepted.
 * Each refusal is exit 2 with one line naming the file.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runCli, startCli } from '../support/child.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'torn-token';
const ids = Array.from({ length: 40 }, (_, i) => `torn${String(i).padStart(4, '0')}`);
const agent = new http.Agent({ keepAlive: true });

function reboot(url: string, id: string): Promise<number> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ instance_ids: [id] });
    const req = http.request(`${url}/v1/instances/reboot`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': `torn-${id}`, 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

let dir: string;
let data: string;
let args: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-store-'));
  data = path.join(dir, 'state.json');
  const fixtures = path.join(dir, 'fixtures.json');
  fs.writeFileSync(
    fixtures,
    JSON.stringify({ huawei: { tokens: [{ token: TOKEN, projectId: PROJECT }], koophone: { instances: ids.map((id) => ({ instance_id: id, project_id: PROJECT, running_status: 2 })) } } }),
  );
  args = ['--data', data, '--fixtures', fixtures, '--port', '0', '--log-level', 'warn', '--transition', 'huawei.koophone.reboot=1h'];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => agent.destroy());

const rebooted = async (url: string) => {
  const state = (await request(url).get('/_emulator/state').expect(200)).body;
  return state.huawei.koophone.instances.filter((i: any) => i.running_status === 4).map((i: any) => i.instance_id);
};

test('kill -9 leaving a torn log tail, more writes, kill -9 again, restart: every acknowledged change is there (finding 2)', async () => {
  const acknowledged: string[] = [];
  let s = await startCli(args);
  for (const id of ids.slice(0, 10)) if ((await reboot(s.url, id)) === 200) acknowledged.push(id);
  s.child.kill('SIGKILL');
  await s.exited;
  // What a kill in the middle of an append leaves: the first part of a record, no newline.
  const torn = '{"p":"huawei.koophone.instances","id":"torn0039","v":{"instance_id":"torn0039","running_sta';
  fs.appendFileSync(`${data}.log`, torn);

  s = await startCli(args);
  expect(s.output()).toContain(`torn last record of ${torn.length} bytes`);
  for (const id of ids.slice(10, 20)) if ((await reboot(s.url, id)) === 200) acknowledged.push(id);
  s.child.kill('SIGKILL');
  await s.exited;

  s = await startCli(args);
  try {
    for (const id of ids.slice(20, 25)) if ((await reboot(s.url, id)) === 200) acknowledged.push(id);
    expect(acknowledged).toHaveLength(25);
    expect((await rebooted(s.url)).sort()).toEqual([...acknowledged].sort());
  } finally {
    s.child.kill('SIGKILL');
    await s.exited;
  }
  // Every line of the log parses: nothing was glued onto the torn record.
  for (const line of fs.readFileSync(`${data}.log`, 'utf8').split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  s = await startCli(args);
  try {
    expect((await rebooted(s.url)).sort()).toEqual([...acknowledged].sort());
  } finally {
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  }
}, 60_000);

test('a second emulator on the same data file exits 2 naming the file and the pid that holds it (finding 4); after a kill -9 the lock is taken over', async () => {
  const first = await startCli(args);
  try {
    expect((await reboot(first.url, ids[0]!))).toBe(200);
    const second = await runCli(args);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`cloud-api-emulator: data file ${data} is in use by process ${first.child.pid} (lock file ${data}.lock); stop that emulator or use another --data file\n`);
    expect(await rebooted(first.url)).toEqual([ids[0]]);
  } finally {
    first.child.kill('SIGKILL');
    await first.exited;
  }
  const third = await startCli(args);
  try {
    expect(await rebooted(third.url)).toEqual([ids[0]]);
  } finally {
    third.child.kill('SIGTERM');
    await third.exited;
  }
  expect(fs.existsSync(`${data}.lock`)).toBe(false);
}, 30_000);

test('a data file that parses but is not a valid state document is refused with one line (finding 7)', async () => {
  fs.writeFileSync(data, '{"huawei":{"tokens":[{"token":1}]}}');
  const res = await runCli(args);
  expect(res.code).toBe(2);
  expect(res.stderr.split('\n')).toHaveLength(2);
  expect(res.stderr).toMatch(new RegExp(`^cloud-api-emulator: data file ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(with its change log\\) is not a valid state document: /huawei/tokens/0`));
  expect(fs.readFileSync(data, 'utf8')).toBe('{"huawei":{"tokens":[{"token":1}]}}');
  expect(fs.existsSync(`${data}.lock`)).toBe(false);
});

test('a complete but corrupt record in the log is refused with one line naming the file and the line (finding 6)', async () => {
  const s = await startCli(args);
  expect(await reboot(s.url, ids[0]!)).toBe(200);
  s.child.kill('SIGKILL');
  await s.exited;
  fs.appendFileSync(`${data}.log`, '{"p":"huawei.koophone.instances","id":"x","v":\n');
  const res = await runCli(args);
  expect([res.code, res.stderr]).toEqual([2, `cloud-api-emulator: change log ${data}.log is corrupt at line 2; fix or remove it\n`]);
});
