import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { OPTIONS, parseCli } from '../../src/config.js';
import { runCli, startCli } from '../support/child.js';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const oneLineError = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cloud-api-emulator: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
};

describe('the command line', () => {
  test('--help lists every option with its env var, the transitions and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const o of OPTIONS) {
      expect(r.stdout).toContain(`--${o.flag}`);
      expect(r.stdout).toContain(o.env);
    }
    expect(r.stdout).toContain('huawei.koophone.reboot');
  });

  test.each([
    [['--port', 'abc'], /--port abc/],
    [['--port', '70000'], /port 70000/],
    [['--bogus'], /unknown option --bogus/],
    [['--log-level', 'loud'], /loud/],
    [['--clock', 'fast'], /fast/],
    [['--transition', 'alibaba.eci.restart=soon'], /not a duration/],
    [['--transition', 'nope.never=1'], /unknown transition "nope.never"/],
    [['--set', 'no.such.setting=1'], /unknown setting/],
    [['--port'], /needs a value/],
    [['stray'], /unexpected argument/],
  ])('bad option %j: one line and exit 2', async (args, message) => {
    const r = await runCli(args as string[], { EMULATOR_DATA: path.join(dir, 's.json') });
    expect(r.code).toBe(2);
    expect(oneLineError(r.stderr)).toMatch(message);
  });

  test('a bad env value is reported the same way', async () => {
    const r = await runCli([], { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(oneLineError(r.stderr)).toMatch(/PORT=eighty/);
  });

  test('a corrupt data file: one line naming it, exit 2, the file left as it was', async () => {
    const data = path.join(dir, 'state.json');
    fs.writeFileSync(data, '{"alibaba": ');
    const r = await runCli(['--data', data, '--port', '0']);
    expect(r.code).toBe(2);
    expect(oneLineError(r.stderr)).toContain(data);
    expect(fs.readFileSync(data, 'utf8')).toBe('{"alibaba": ');
  });

  test('a missing or invalid fixtures file: exit 2', async () => {
    const missing = await runCli(['--in-memory', '--port', '0', '--fixtures', path.join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing.stderr)).toMatch(/cannot read fixtures file/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ elastic: 'nope' }));
    const invalid = await runCli(['--in-memory', '--port', '0', '--fixtures', bad]);
    expect(invalid.code).toBe(2);
    expect(oneLineError(invalid.stderr)).toMatch(/not a valid state document/);
  });

  test('starts, serves, and on SIGTERM flushes the store and exits 0', async () => {
    const data = path.join(dir, 'state.json');
    const s = await startCli(['--data', data, '--port', '0', '--log-level', 'silent', '--fixtures', 'none']);
    expect(s.output()).toMatch(/providers: .*alibaba \(eci, ens\)/);
    // The banner names the dashboard, and it is served there.
    expect(s.output()).toContain(`dashboard: ${s.url}/_emulator/ui/\n`);
    expect((await request(s.url).get('/_emulator/ui/')).text).toContain('<div id="app">');
    await request(s.url).post('/_emulator/seed').send({ elastic: { apiKeys: [{ key: 'k-1', role: 'platform_admin' }] } }).expect(200);
    s.child.kill('SIGTERM');
    const done = await s.exited;
    expect(done.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(data, 'utf8'));
    expect(doc.elastic.apiKeys.map((k: any) => k.key)).toEqual(['k-1']);
    expect(fs.readFileSync(`${data}.log`, 'utf8')).toBe('');
  });

  test('SIGINT (Ctrl-C) stops gracefully too', async () => {
    const s = await startCli(['--in-memory', '--port', '0', '--log-level', 'silent']);
    s.child.kill('SIGINT');
    expect((await s.exited).code).toBe(0);
  });

  test('env vars configure it, and a flag wins over its env var', async () => {
    const s = await startCli(['--in-memory', '--port', '0', '--clock', 'manual'], { EMULATOR_CLOCK: 'system', EMULATOR_CLOCK_START: '2030-01-01T00:00:00Z', LOG_LEVEL: 'silent' });
    try {
      const clock = await request(s.url).get('/_emulator/clock').expect(200);
      expect(clock.body).toEqual({ now: '2030-01-01T00:00:00.000Z', mode: 'manual' });
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });

  // Issue 13: health checks are logged at debug, not info (the request before was GET /_emulator/health).
  test('one access log line per request, as JSON', async () => {
    const s = await startCli(['--in-memory', '--port', '0']);
    await request(s.url).get('/_emulator/clock').expect(200);
    await request(s.url).get('/_emulator/health').expect(200);
    await request(s.url).get('/nowhere').expect(404);
    s.child.kill('SIGTERM');
    const done = await s.exited;
    const lines = done.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.method, l.url, l.status])).toEqual([
      ['GET', '/_emulator/clock', 200],
      ['GET', '/nowhere', 404],
    ]);
    expect(requests[0].reqId).toEqual(expect.any(String));
  });
});

describe('parseCli', () => {
  test('repeated pairs merge with the env var, flags winning', () => {
    const r = parseCli(['--transition', 'a=2s', '--transition=b=never', '--in-memory'], { EMULATOR_TRANSITIONS: 'a=1,c=5' });
    expect(r).toEqual({ kind: 'run', options: { transitions: { a: 2000, b: null, c: 5 }, inMemory: true } });
  });
});
