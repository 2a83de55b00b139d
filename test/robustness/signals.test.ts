/** Graceful stop waits for requests in flight; a second signal does not wait. */
import http from 'node:http';
import request from 'supertest';
import { startCli } from '../support/child.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const fixtures = { huawei: { tokens: [{ token: 't', projectId: PROJECT }], koophone: { instances: [{ instance_id: 'sig1', project_id: PROJECT, running_status: 2 }] } } };

function slowReboot(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/v1/instances/reboot`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': 't', 'x-request-id': 'r' } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end(JSON.stringify({ instance_ids: ['sig1'] }));
  });
}

async function startWithSlowRequest() {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sig-')), 'fixtures.json');
  fs.writeFileSync(file, JSON.stringify(fixtures));
  const s = await startCli(['--in-memory', '--port', '0', '--log-level', 'silent', '--fixtures', file]);
  await request(s.url).post('/_emulator/faults').send({ provider: 'huawei', latencyMs: 1500, httpStatus: 503, count: 1 }).expect(201);
  const inFlight = slowReboot(s.url);
  // The rule is used up once the server is handling the request: only then is it "in flight".
  for (;;) {
    const rules = (await request(s.url).get('/_emulator/faults')).body.faults;
    if (rules[0].count === 0) break;
  }
  return { s, inFlight };
}

test('SIGTERM lets the request in flight finish, then exits 0', async () => {
  const { s, inFlight } = await startWithSlowRequest();
  s.child.kill('SIGTERM');
  const [status, exit] = await Promise.all([inFlight, s.exited]);
  expect(status).toBe(503);
  expect(exit.code).toBe(0);
});

test('a second signal exits at once, without waiting for the request in flight', async () => {
  const { s, inFlight } = await startWithSlowRequest();
  s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 50));
  s.child.kill('SIGINT');
  const exit = await s.exited;
  expect(exit.code).toBe(130);
  expect(await inFlight).toBe(0); // the connection was cut, no answer
});
