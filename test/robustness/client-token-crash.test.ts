/**
 * A ClientToken and the change it names are durable together: the process is killed after the
 * change reached the log and before the client got its answer, and the client's retry (same token,
 * same params) is answered as a replay, never applied a second time. Before the pipeline, the token
 * was remembered in a second transaction: the retry ran the restart again and was refused with
 * IncorrectStatus (the group was already Restarting).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { CLI, ROOT, startCli } from '../support/child.js';

const GROUP = 'eci-crashtoken000000001';
const PRELOAD = path.join(ROOT, 'test', 'support', 'kill-after-log-write.mjs');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-crash-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const restart = { Action: 'RestartContainerGroup', Version: '2018-08-08', RegionId: 'cn-hangzhou', ContainerGroupId: GROUP, ClientToken: 'retry-me-1', AccessKeyId: 'LTAI5tANYSANDBOXKEY' };

test('killed between a ClientToken change and its answer, the retry replays and changes nothing', async () => {
  const fixtures = path.join(dir, 'fixtures.json');
  fs.writeFileSync(fixtures, JSON.stringify({ alibaba: { eci: { containerGroups: [{ ContainerGroupId: GROUP, RegionId: 'cn-hangzhou', Status: 'Running' }] } } }));
  const data = path.join(dir, 'state.json');
  const args = ['--port', '0', '--data', data, '--fixtures', fixtures, '--log-level', 'silent', '--transition', 'alibaba.eci.restart=never'];

  // The first process dies right after the restart reaches the log: the client never hears back.
  const doomed = spawn(process.execPath, ['--import', PRELOAD, CLI, ...args], { cwd: ROOT, env: { ...process.env, KILL_AFTER_WRITE_CONTAINING: '"Restarting"' } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    doomed.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    doomed.on('close', (code) => reject(new Error(`exited before listening: ${code}`)));
  });
  const died = new Promise<NodeJS.Signals | null>((resolve) => doomed.on('close', (_code, signal) => resolve(signal)));
  await expect(request(url).get('/').query(restart)).rejects.toThrow();
  expect(await died).toBe('SIGKILL');

  // The retry, against the restarted emulator.
  const e = await startCli(args);
  try {
    const retry = await request(e.url).get('/').query(restart);
    expect(retry.status).toBe(200);
    const again = await request(e.url).get('/').query(restart);
    expect(again.body.RequestId).toBe(retry.body.RequestId);
    const state = (await request(e.url).get('/_emulator/state')).body;
    const group = state.alibaba.eci.containerGroups.find((g: { ContainerGroupId: string }) => g.ContainerGroupId === GROUP);
    expect(group.Status).toBe('Restarting');
    expect(group.Events.filter((ev: { Reason: string }) => ev.Reason === 'Restarting')).toHaveLength(1);
  } finally {
    e.child.kill('SIGTERM');
    await e.exited;
  }
});
