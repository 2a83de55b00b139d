// The full-disk scenario on a real, small file system (run.sh mounts it): an emulator serving
// KooPhone reboots while the disk fills up and empties again, stopped by SIGTERM (a compaction on a
// full disk) or kill -9, and restarted. Every check is counted; the summary line is the last one.
//   node test/fulldisk/driver.mjs DIR_ON_SMALL_FS WORK_DIR
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [diskDir, workDir] = process.argv.slice(2);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'fulldisk-token';
const ROUNDS = 4;
const PER_ROUND = 60;
const ids = Array.from({ length: ROUNDS * PER_ROUND * 3 }, (_, i) => `fd${String(i).padStart(5, '0')}`);
const data = path.join(diskDir, 'state.json');
const fixtures = path.join(workDir, 'fixtures.json');
const filler = path.join(diskDir, 'filler');
fs.writeFileSync(fixtures, JSON.stringify({ huawei: { tokens: [{ token: TOKEN, projectId: PROJECT }], koophone: { instances: ids.map((id) => ({ instance_id: id, project_id: PROJECT, running_status: 2 })) } } }));

let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
  if (ok) passed++;
  else {
    failed++;
    process.stdout.write(`FAILED: ${what} ${detail}\n`);
  }
}

function start() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, 'serve.mjs'), data, fixtures, '16384'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise((res) => child.on('close', (code, signal) => res({ code, signal, out, err })));
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], exited, output: () => out });
    });
    exited.then((f) => reject(new Error(`emulator exited before listening: ${f.code} ${f.err}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
function call(url, method, p, body) {
  return new Promise((resolve) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = { 'x-auth-token': TOKEN, 'x-request-id': `fd-${Math.random()}` };
    if (text) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    const req = http.request(`${url}${p}`, { method, agent, headers });
    req.on('response', (res) => {
      let t = '';
      res.on('data', (d) => (t += d));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(t);
        } catch {}
        resolve({ status: res.statusCode, json });
      });
    });
    req.on('error', () => resolve({ status: 0 }));
    req.end(text);
  });
}
const reboot = (url, id) => call(url, 'POST', '/v1/instances/reboot', { instance_ids: [id] });
const state = async (url) => (await call(url, 'GET', '/_emulator/state')).json;

/** Fills the file system to the last byte (a file of zeros grown until ENOSPC). */
function fill() {
  const fd = fs.openSync(filler, 'a');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if (err.code !== 'ENOSPC') throw err;
  }
  try {
    for (;;) fs.writeSync(fd, chunk, 0, 1); // the last partial block
  } catch (err) {
    if (err.code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}
const free = () => fs.rmSync(filler, { force: true });

const acknowledged = new Set();
const refused = new Set();
let next = 0;
async function load(url, n) {
  const statuses = {};
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let k = 0; k < n / 8; k++) {
        const id = ids[next++];
        const res = await reboot(url, id);
        const key = res.status === 200 ? '200' : `${res.status} ${res.json?.error_code ?? ''}`.trim();
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (res.status === 200) acknowledged.add(id);
        else refused.add(id);
      }
    }),
  );
  return statuses;
}

async function verify(url, label) {
  const s = await state(url);
  const status = new Map(s.huawei.koophone.instances.map((i) => [i.instance_id, i.running_status]));
  const lost = [...acknowledged].filter((id) => status.get(id) !== 4);
  const applied = [...refused].filter((id) => status.get(id) !== 2);
  check(`${label}: no acknowledged reboot lost`, lost.length === 0, JSON.stringify(lost.slice(0, 5)));
  check(`${label}: no refused reboot applied`, applied.length === 0, JSON.stringify(applied.slice(0, 5)));
  check(`${label}: the data file parses`, (() => {
    try {
      JSON.parse(fs.readFileSync(data, 'utf8'));
      return true;
    } catch {
      return false;
    }
  })());
  return lost.length;
}

let lostTotal = 0;
let s = await start();
for (let round = 0; round < ROUNDS; round++) {
  const before = await load(s.url, PER_ROUND);
  check(`round ${round}: writes succeed with space`, Object.keys(before).join() === '200', JSON.stringify(before));
  fill();
  const during = await load(s.url, PER_ROUND);
  check(`round ${round}: writes on a full disk are refused with KooPhone's internal error`, Object.keys(during).every((k) => k === '500 KOOPHONE.API.9999' || k === '200') && during['500 KOOPHONE.API.9999'] > 0, JSON.stringify(during));
  const read = await call(s.url, 'GET', '/_emulator/health');
  check(`round ${round}: reads are served on a full disk`, read.status === 200);
  lostTotal += await verify(s.url, `round ${round} (full, serving)`);
  if (round % 2 === 0) {
    // A graceful stop on the full disk: its compaction fails, the data file and log are kept.
    s.child.kill('SIGTERM');
    const f = await s.exited;
    check(`round ${round}: SIGTERM on a full disk exits 0`, f.code === 0, `${f.code} ${f.err}`);
    check(`round ${round}: the failed compaction is logged`, /writing data file .* failed/.test(f.out), f.out.slice(-300));
    free();
  } else {
    free();
    const after = await load(s.url, PER_ROUND);
    check(`round ${round}: writes succeed again once there is space, without a restart`, Object.keys(after).join() === '200', JSON.stringify(after));
    s.child.kill('SIGKILL');
    await s.exited;
  }
  s = await start();
  lostTotal += await verify(s.url, `round ${round} (restarted)`);
  const leftovers = fs.readdirSync(diskDir).filter((f) => f.endsWith('.tmp'));
  check(`round ${round}: no temporary file left after the restart`, leftovers.length === 0, leftovers.join());
}
s.child.kill('SIGTERM');
await s.exited;
agent.destroy();
process.stdout.write(`fulldisk: ${ROUNDS} rounds, ${acknowledged.size} acknowledged writes, ${refused.size} refused, ${lostTotal} lost\n`);
process.stdout.write(`fulldisk: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
