/**
 * A real emulator process under write load is killed with SIGKILL at (seeded) random moments. Each
 * restart must find a parseable data file holding every change acknowledged before the kill, and
 * transitions that were in flight must carry on.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startCli } from '../support/child.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'crash-token';
const INSTANCES = 3000;
const ROUNDS = 5;

/** A small deterministic PRNG, so a failing round can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function reboot(url: string, id: string): Promise<number> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ instance_ids: [id] });
    const req = http.request(`${url}/v1/instances/reboot`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': `crash-${id}`, 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0)); // killed mid-request: not acknowledged
    req.end(body);
  });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'));
});
afterAll(() => {
  agent.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL under write load loses no acknowledged change, and in-flight reboots finish after restart', async () => {
  const data = path.join(dir, 'state.json');
  const fixtures = path.join(dir, 'fixtures.json');
  const ids = Array.from({ length: INSTANCES }, (_, i) => `crash${String(i).padStart(5, '0')}`);
  fs.writeFileSync(
    fixtures,
    JSON.stringify({
      huawei: {
        tokens: [{ token: TOKEN, projectId: PROJECT }],
        koophone: { instances: ids.map((id) => ({ instance_id: id, project_id: PROJECT, running_status: 2 })) },
      },
    }),
  );
  // A reboot takes an hour of emulator time, so every acknowledged one is still visible after a kill.
  const args = ['--data', data, '--fixtures', fixtures, '--port', '0', '--log-level', 'silent', '--transition', 'huawei.koophone.reboot=1h'];
  const random = prng(20261201);
  const acknowledged: string[] = [];
  let next = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const s = await startCli(args);
    if (round > 0) {
      // Everything acknowledged in earlier rounds is there, and the document on disk parses.
      expect(() => JSON.parse(fs.readFileSync(data, 'utf8'))).not.toThrow();
      const state = (await request(s.url).get('/_emulator/state').expect(200)).body;
      const status = new Map(state.huawei.koophone.instances.map((i: any) => [i.instance_id, i.running_status]));
      const lost = acknowledged.filter((id) => status.get(id) === 2);
      expect({ round, lost }).toEqual({ round, lost: [] });
    }
    // Load: 16 workers rebooting fresh instances until the kill.
    let killed = false;
    const worker = async () => {
      while (!killed && next < ids.length) {
        const id = ids[next++]!;
        const code = await reboot(s.url, id);
        if (code === 200) acknowledged.push(id);
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    const killAfter = 40 + Math.floor(random() * 200);
    await new Promise((r) => setTimeout(r, killAfter));
    killed = true;
    s.child.kill('SIGKILL');
    await Promise.all(workers);
    await s.exited;
  }
  expect(acknowledged.length).toBeGreaterThan(ROUNDS * 10);

  // Last start, an hour and a minute later on the emulator clock: every acknowledged reboot resumed and finished.
  const later = new Date(Date.now() + 61 * 60 * 1000).toISOString();
  const s = await startCli([...args, '--clock', 'manual', '--clock-start', later]);
  try {
    const state = (await request(s.url).get('/_emulator/state').expect(200)).body;
    const byId = new Map(state.huawei.koophone.instances.map((i: any) => [i.instance_id, i]));
    for (const id of acknowledged) {
      const entry: any = byId.get(id);
      expect({ id, status: entry.running_status, steps: entry._emulator?.steps }).toEqual({ id, status: 2, steps: undefined });
    }
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
}, 60_000);
