/**
 * The programmatic API used the way a user's jest globalSetup uses it (see examples/jest-global-setup.ts,
 * which is the same code importing the published package name).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type RunningEmulator, EmulatorError } from '../../src/index.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, inMemory: true, clock: 'manual', logLevel: 'silent' });
  process.env.CLOUD_API_EMULATOR_URL = emulator.url;
});
afterAll(() => emulator.close());

test('port 0 picks a free port and the URL reaches the emulator', async () => {
  expect(emulator.port).toBeGreaterThan(0);
  expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
  const res = await fetch(`${process.env.CLOUD_API_EMULATOR_URL}/_emulator/health`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as any).providers).toEqual(['elastic', 'huawei', 'alibaba']);
});

test('the returned clock is the emulator clock', async () => {
  emulator.clock.set(Date.parse('2031-02-03T04:05:06Z'));
  const res = await fetch(`${emulator.url}/_emulator/clock`);
  expect(await res.json()).toEqual({ now: '2031-02-03T04:05:06.000Z', mode: 'manual' });
});

test('reset() restores the fixtures it started with', async () => {
  await fetch(`${emulator.url}/_emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ elastic: { apiKeys: [{ key: 'temp', role: 'platform_admin' }] } }),
  });
  await emulator.reset();
  const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as any;
  expect(state.elastic.apiKeys.map((k: any) => k.key)).not.toContain('temp');
});

test('a port in use is an EmulatorError, not a crash', async () => {
  await expect(startEmulator({ port: emulator.port, inMemory: true, logLevel: 'silent' })).rejects.toThrow(EmulatorError);
});

test('bad options are refused with EmulatorError', async () => {
  await expect(startEmulator({ port: -1, inMemory: true })).rejects.toThrow(/invalid port/);
  await expect(startEmulator({ inMemory: true, transitions: { 'no.such': 1 } })).rejects.toThrow(/unknown transition/);
});

test('close() flushes the data file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
  try {
    const data = path.join(dir, 'nested', 'state.json');
    const e = await startEmulator({ port: 0, data, logLevel: 'silent', fixtures: 'none' });
    await fetch(`${e.url}/_emulator/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ elastic: { users: [{ username: 'u', password: 'p', role: 'platform_admin' }] } }),
    });
    await e.close();
    expect(JSON.parse(fs.readFileSync(data, 'utf8')).elastic.users[0].username).toBe('u');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with a data file, fixtures are read at the first reset; a bad one is then a clear JSON error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
  try {
    const data = path.join(dir, 'state.json');
    const fixtures = path.join(dir, 'fixtures.json');
    fs.writeFileSync(fixtures, JSON.stringify({ elastic: { apiKeys: [{ key: 'from-fixtures', role: 'platform_admin' }] } }));
    const first = await startEmulator({ port: 0, data, fixtures, logLevel: 'silent' });
    await first.close();
    fs.writeFileSync(fixtures, '{ not json');
    const second = await startEmulator({ port: 0, data, fixtures, logLevel: 'silent' });
    try {
      const state = (await (await fetch(`${second.url}/_emulator/state`)).json()) as any;
      expect(state.elastic.apiKeys.map((k: any) => k.key)).toEqual(['from-fixtures']);
      const reset = await fetch(`${second.url}/_emulator/reset`, { method: 'POST' });
      expect(reset.status).toBe(500);
      expect(((await reset.json()) as any).errors[0].message).toContain(fixtures);
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('close() does not wait for a connection that never sent a request (it used to hold the stop for the 5 s force-close)', async () => {
  const net = await import('node:net');
  const e = await startEmulator({ port: 0, inMemory: true, logLevel: 'silent' });
  const socket = net.connect(e.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  let stopped = false;
  await Promise.race([
    (async () => {
      await e.close();
      stopped = true;
    })(),
    // The force-close would come after 5 s: the stop must be done well before it.
    new Promise((resolve) => setTimeout(resolve, 2500).unref()),
  ]);
  expect(stopped).toBe(true);
  await closedByServer;
}, 10_000);
