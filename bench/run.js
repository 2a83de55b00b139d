// npm run bench — load on loopback with autocannon, bounded in time; prints a markdown report and
// writes bench/results.json. Each scenario runs against a fresh emulator process on a data file
// seeded with N resources per provider, after a warm-up, next to a minimal Express 5 app answering
// the same route with a fixed body (the framework floor) measured in the same run.
//
//   npm run bench                        # N = 100, 10000, 100000; 5 s per scenario
//   BENCH_SECONDS=10 BENCH_SIZES=100,100000 npm run bench
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileSizeMb, load, ROOT, startServer, tmpDir } from './lib.js';
import { SCENARIOS } from './scenarios.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SIZES = (process.env.BENCH_SIZES ?? '100,10000,100000').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY?.split(',');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FLOOR = path.join(ROOT, 'bench', 'floor.js');

/** A data file holding N resources of the providers named (written by a child process). */
function makeDataFile(dir, n, kinds) {
  const data = path.join(dir, `state-${n}-${kinds.join('-')}.json`);
  execFileSync(process.execPath, [path.join(ROOT, 'bench', 'make-data.js'), String(n), data, kinds.join(',')], { stdio: 'inherit' });
  return data;
}

async function measure(script, args, scenario, n) {
  const server = await startServer(script, args);
  try {
    const requests = scenario.requests(n);
    if (WARMUP > 0) await load(server.url, { seconds: WARMUP, connections: CONNECTIONS, requests });
    const r = await load(server.url, { seconds: SECONDS, connections: CONNECTIONS, requests });
    return { ...r, peakRssMb: server.peakRssMb() };
  } finally {
    await server.stop();
  }
}

const dir = tmpDir();
const rows = [];
const startup = [];
const floors = new Map();
const emulatorArgs = (data) => ['--data', data, '--log-level', 'warn', ...Object.keys(zeroTransitions()).flatMap((k) => ['--transition', `${k}=0`])];
function zeroTransitions() {
  return { 'alibaba.eci.restart': 0, 'alibaba.ens.reboot': 0, 'elastic.restart': 0, 'elastic.start': 0, 'elastic.shutdown': 0, 'huawei.koophone.reboot': 0 };
}

for (const n of SIZES) {
  // Startup to the first answer on an existing data file of N resources (half KooPhone
  // instances, half ECI container groups; median of 3), and the file's size.
  const t0 = Date.now();
  const mixed = makeDataFile(dir, n / 2, ['huawei', 'alibaba']);
  process.stderr.write(`N=${n}: data file ${fileSizeMb(mixed)} MB written in ${Date.now() - t0} ms\n`);
  const times = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const s = await startServer(CLI, ['--data', mixed, '--log-level', 'warn']);
    times.push(s.startupMs);
    rss = s.peakRssMb();
    await s.stop();
  }
  times.sort((a, b) => a - b);
  startup.push({ n, startupMs: Math.round(times[1]), fileMb: fileSizeMb(mixed), idleRssMb: rss });

  for (const scenario of SCENARIOS) {
    if (ONLY && !ONLY.some((o) => scenario.name.startsWith(o))) continue;
    if (!floors.has(scenario.name)) {
      process.stderr.write(`floor for ${scenario.name}...\n`);
      floors.set(scenario.name, await measure(FLOOR, [], scenario, n));
    }
    process.stderr.write(`N=${n} ${scenario.name}...\n`);
    const fresh = makeDataFile(dir, n, [scenario.seeds]);
    const fileMb = fileSizeMb(fresh);
    const r = await measure(CLI, emulatorArgs(fresh), scenario, n);
    const floor = floors.get(scenario.name);
    rows.push({ scenario: scenario.name, n, ...r, floorRps: floor.rps, ratio: Math.round((r.rps / floor.rps) * 100) / 100, fileMb });
  }
}

const unanswered = rows.reduce((a, r) => a + r.errors + r.timeouts, 0);
const bad = rows.filter((r) => r.non2xx > 0);
let out = `# Benchmark results\n\n${new Date().toISOString()} · node ${process.version} · ${SECONDS}s per scenario after ${WARMUP}s warm-up · ${CONNECTIONS} connections\n\n`;
out += '| scenario | N | req/s | floor req/s | ratio | p50 ms | p99 ms | peak RSS MB | data file MB | non-2xx | errors+timeouts |\n|---|---|---|---|---|---|---|---|---|---|---|\n';
for (const r of rows) out += `| ${r.scenario} | ${r.n} | ${r.rps} | ${r.floorRps} | ${r.ratio} | ${r.p50} | ${r.p99} | ${r.peakRssMb} | ${r.fileMb} | ${r.non2xx} | ${r.errors + r.timeouts} |\n`;
out += '\n| resources in the data file | startup to first answer (ms) | data file MB | RSS after start MB |\n|---|---|---|---|\n';
for (const s of startup) out += `| ${s.n} | ${s.startupMs} | ${s.fileMb} | ${s.idleRssMb} |\n`;
out += '\n';
for (const scenario of SCENARIOS) {
  const small = rows.find((r) => r.scenario === scenario.name && r.n === Math.min(...SIZES));
  const large = rows.find((r) => r.scenario === scenario.name && r.n === Math.max(...SIZES));
  if (small && large && small !== large) out += `- ${scenario.name}: N=${large.n} runs at ${Math.round((large.rps / small.rps) * 100) / 100} of its N=${small.n} figure\n`;
}
out += `- requests unanswered or timed out: ${unanswered}; scenarios with non-2xx answers: ${bad.map((r) => `${r.scenario}@${r.n} (${JSON.stringify(r.status)})`).join(', ') || 'none'}\n`;
process.stdout.write(out);
fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify({ rows, startup, seconds: SECONDS, warmup: WARMUP, connections: CONNECTIONS }, null, 2) + '\n');
fs.rmSync(dir, { recursive: true, force: true });
