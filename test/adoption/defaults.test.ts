/** Issue 13, silent surprises of startEmulator(): its defaults, and fixtures it cannot use. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startEmulator } from '../../src/index.js';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defaults-'));
  cwd = process.cwd();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('startEmulator() is in memory and logs at warn by default (before: ./data/state.json and info)', async () => {
  const e = await startEmulator({ port: 0 });
  try {
    expect(e.ctx.config.data).toBeUndefined();
    expect(e.ctx.logger.level).toBe('warn');
    expect(fs.existsSync(path.join(cwd, 'data', 'state.json.lock'))).toBe(false);
  } finally {
    await e.close();
  }
});

test('a data file is used only when named', async () => {
  const data = path.join(dir, 'state.json');
  const e = await startEmulator({ port: 0, data, logLevel: 'silent' });
  await e.close();
  expect(fs.existsSync(data)).toBe(true);
});

test('a fixtures path that cannot be read is refused at start, not at the first reset', async () => {
  await expect(startEmulator({ port: 0, fixtures: path.join(dir, 'typo.json') })).rejects.toThrow(/cannot read fixtures file .*typo\.json: no such file/);
  await expect(startEmulator({ port: 0, fixtures: dir })).rejects.toThrow(/cannot read fixtures file .*: it is a directory/);
  const data = path.join(dir, 'state.json');
  await expect(startEmulator({ port: 0, data, fixtures: path.join(dir, 'typo.json') })).rejects.toThrow(/cannot read fixtures file/);
});

test('fixtures that an existing data file makes moot are said so (once, at warn)', async () => {
  const data = path.join(dir, 'state.json');
  const fixtures = path.join(dir, 'fixtures.json');
  fs.writeFileSync(fixtures, '{}');
  await (await startEmulator({ port: 0, data, fixtures, logLevel: 'silent' })).close();
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  await (await startEmulator({ port: 0, data, fixtures, logger })).close();
  const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
  expect(warnings).toHaveLength(1);
  expect(warnings[0].msg).toContain(`fixtures ${fixtures} are not loaded now: the data file ${data} already holds the state`);
});
