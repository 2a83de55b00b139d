// npm run bench — load on loopback with autocannon, bounded in time; prints a markdown report and
// writes bench/results.json. Each scenario runs against a fresh emulator process on a data file
// seeded with N resources per provider, after a warm-up, next to a minimal Express 5 app answering
// the same route with a fixed body (the framework floor) measured in the same run; then the same
// server is timed at one connection (p50/p99: what a sequential test suite waits on). The mock
// tools users would otherwise pick (Prism, Mockoon CLI) are installed on demand into a temporary
// folder and measured on the KooPhone reboot route in the same run.
//
//   npm run bench                        # N = 100, 10000, 100000; 5 s per scenario
//   BENCH_SECONDS=10 BENCH_SIZES=100,100000 npm run bench
//   BENCH_TOOLS=0 npm run bench          # without Prism and Mockoon
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileSizeMb, load, ROOT, sequentialLatency, startServer, tmpDir } from './lib.js';
import { SCENARIOS, seedDocument } from './scenarios.js';
import { mockTools } from './tools.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? SECONDS);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SIZES = (process.env.BENCH_SIZES ?? '100,10000,100000').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY?.split(',');
const TOOLS = process.env.BENCH_TOOLS !== '0';
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FLOOR = path.join(ROOT, 'bench', 'floor.js');

/** A data file holding N resources of the providers named (written by a child process). */
function makeDataFile(dir, n, kinds) {
  const data = path.join(dir, `state-${n}-${kinds.join('-')}.json`);
  execFileSync(process.execPath, [path.join(ROOT, 'bench', 'make-data.js'), String(n), data, kinds.join(',')], { stdio: 'inherit' });
  return data;
}

async function measure(script, args, scenario, n, options = {}) {
  const server = await startServer(script, args, options.readyPath, options);
  try {
    const requests = scenario.requests(n);
    if (WARMUP > 0) await load(server.url, { seconds: WARMUP, connections: CONNECTIONS, requests });
    const r = await load(server.url, { seconds: SECONDS, connections: CONNECTIONS, requests });
    const one = await sequentialLatency(server.url, { seconds: LATENCY_SECONDS, requests: scenario.requests(n) });
    return { ...r, p50one: one.p50, p99one: one.p99, non2xx: r.non2xx + one.failed, peakRssMb: server.peakRssMb(), startupMs: Math.round(server.startupMs) };
  } finally {
    await server.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = tmpDir();
const rows = [];
const startup = [];
const tools = [];
const floors = new Map();
const emulatorArgs = (data) => ['--data', data, '--log-level', 'warn', ...Object.keys(zeroTransitions()).flatMap((k) => ['--transition', `${k}=0`])];
function zeroTransitions() {
  return { 'alibaba.eci.restart': 0, 'alibaba.ens.reboot': 0, 'elastic.restart': 0, 'elastic.start': 0, 'elastic.shutdown': 0, 'huawei.koophone.reboot': 0 };
}

for (const n of SIZES) {
  // Start-up to the first answer with N resources (half KooPhone instances, half ECI container
  // groups; median of BENCH_STARTS): on an existing data file, then from a fixtures file (the data
  // file is new, so the fixtures are checked, defaulted and written). A stop of the first kind has
  // an empty change log: SIGTERM to exit.
  const t0 = Date.now();
  const mixed = makeDataFile(dir, n / 2, ['huawei', 'alibaba']);
  process.stderr.write(`N=${n}: data file ${fileSizeMb(mixed)} MB written in ${Date.now() - t0} ms\n`);
  const fromData = { times: [], stops: [], rss: [] };
  for (let i = 0; i < STARTS; i++) {
    const s = await startServer(CLI, ['--data', mixed, '--log-level', 'warn']);
    fromData.times.push(s.startupMs);
    fromData.rss.push(s.peakRssMb());
    fromData.stops.push(await s.stop());
  }
  const fixtures = path.join(dir, `fixtures-${n}.json`);
  fs.writeFileSync(fixtures, JSON.stringify(seedDocument(n / 2, ['huawei', 'alibaba'])));
  const fromFixtures = { times: [], rss: [] };
  for (let i = 0; i < STARTS; i++) {
    const fresh = path.join(dir, `from-fixtures-${n}.json`);
    for (const f of [fresh, `${fresh}.log`]) fs.rmSync(f, { force: true });
    const s = await startServer(CLI, ['--data', fresh, '--fixtures', fixtures, '--log-level', 'warn']);
    fromFixtures.times.push(s.startupMs);
    fromFixtures.rss.push(s.peakRssMb());
    await s.stop();
  }
  startup.push({
    n,
    startupMs: Math.round(median(fromData.times)),
    stopMs: Math.round(median(fromData.stops)),
    fileMb: fileSizeMb(mixed),
    idleRssMb: median(fromData.rss),
    fixturesStartupMs: Math.round(median(fromFixtures.times)),
    fixturesPeakRssMb: median(fromFixtures.rss),
    fixturesMb: Math.round((fs.statSync(fixtures).size / 1024 / 1024) * 100) / 100,
  });

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
    rows.push({ scenario: scenario.name, n, ...r, floorRps: floor.rps, floorP50one: floor.p50one, floorP99one: floor.p99one, ratio: Math.round((r.rps / floor.rps) * 100) / 100, fileMb });
  }
}

// The tools users would otherwise pick, on the KooPhone reboot route (a mock answers from its file: no state).
const reboot = SCENARIOS[0];
if (TOOLS && (!ONLY || ONLY.some((o) => reboot.name.startsWith(o)))) {
  if (!floors.has(reboot.name)) floors.set(reboot.name, await measure(FLOOR, [], reboot, SIZES[0]));
  const floor = floors.get(reboot.name);
  for (const tool of mockTools()) {
    process.stderr.write(`${tool.name}...\n`);
    try {
      const r = await measure(null, tool.args, reboot, SIZES[0], { command: tool.command, readyPath: '/v1/instances/reboot', anyAnswer: true });
      tools.push({ tool: tool.name, ...r, floorRps: floor.rps, ratio: Math.round((r.rps / floor.rps) * 100) / 100 });
    } catch (err) {
      process.stderr.write(`${tool.name} could not be measured: ${err.message}\n`);
    }
  }
}

const unanswered = rows.reduce((a, r) => a + r.errors + r.timeouts, 0);
const bad = rows.filter((r) => r.non2xx > 0);
let out = `# Benchmark results\n\n${new Date().toISOString()} · node ${process.version} · ${SECONDS}s per scenario after ${WARMUP}s warm-up · ${CONNECTIONS} connections for req/s · ${LATENCY_SECONDS}s at one connection for p50/p99\n\n`;
out += '| scenario | N | req/s | floor req/s | ratio | p50 ms (1 conn) | p99 ms (1 conn) | floor p50 / p99 ms (1 conn) | peak RSS MB | data file MB | non-2xx | errors+timeouts |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n';
for (const r of rows) out += `| ${r.scenario} | ${r.n} | ${r.rps} | ${r.floorRps} | ${r.ratio} | ${r.p50one} | ${r.p99one} | ${r.floorP50one} / ${r.floorP99one} | ${r.peakRssMb} | ${r.fileMb} | ${r.non2xx} | ${r.errors + r.timeouts} |\n`;
if (tools.length > 0) {
  out += `\n| the same route (POST /v1/instances/reboot) served by | req/s | ratio to the floor | p50 ms (1 conn) | p99 ms (1 conn) | peak RSS MB | start-up ms | non-2xx | errors+timeouts |\n|---|---|---|---|---|---|---|---|---|\n`;
  const floor = floors.get(reboot.name);
  out += `| Express 5 floor (fixed body) | ${floor.rps} | 1 | ${floor.p50one} | ${floor.p99one} | ${floor.peakRssMb} | ${floor.startupMs} | ${floor.non2xx} | ${floor.errors + floor.timeouts} |\n`;
  for (const t of tools) out += `| ${t.tool} | ${t.rps} | ${t.ratio} | ${t.p50one} | ${t.p99one} | ${t.peakRssMb} | ${t.startupMs} | ${t.non2xx} | ${t.errors + t.timeouts} |\n`;
  const own = rows.find((r) => r.scenario === reboot.name && r.n === SIZES[0]);
  if (own) out += `| cloud-api-emulator (durable reboot, N=${own.n}) | ${own.rps} | ${own.ratio} | ${own.p50one} | ${own.p99one} | ${own.peakRssMb} | ${own.startupMs} | ${own.non2xx} | ${own.errors + own.timeouts} |\n`;
}
out += '\n| resources | start-up from a data file (ms) | stop, empty log (ms) | RSS after start MB | data file MB | start-up from a fixtures file (ms) | peak RSS MB | fixtures file MB |\n|---|---|---|---|---|---|---|---|\n';
for (const s of startup) out += `| ${s.n} | ${s.startupMs} | ${s.stopMs} | ${s.idleRssMb} | ${s.fileMb} | ${s.fixturesStartupMs} | ${s.fixturesPeakRssMb} | ${s.fixturesMb} |\n`;
out += '\n';
for (const scenario of SCENARIOS) {
  const small = rows.find((r) => r.scenario === scenario.name && r.n === Math.min(...SIZES));
  const large = rows.find((r) => r.scenario === scenario.name && r.n === Math.max(...SIZES));
  if (small && large && small !== large) out += `- ${scenario.name}: N=${large.n} runs at ${Math.round((large.rps / small.rps) * 100) / 100} of its N=${small.n} figure\n`;
}
const largest = Math.max(...SIZES);
const peak = rows.filter((r) => r.n === largest).reduce((m, r) => Math.max(m, r.peakRssMb), 0);
if (peak > 0) out += `- peak RSS at N=${largest}: ${peak} MB in the heaviest scenario\n`;
out += `- requests unanswered or timed out: ${unanswered}; scenarios with non-2xx answers: ${bad.map((r) => `${r.scenario}@${r.n} (${JSON.stringify(r.status)})`).join(', ') || 'none'}\n`;
process.stdout.write(out);
fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify({ rows, tools, startup, seconds: SECONDS, warmup: WARMUP, latencySeconds: LATENCY_SECONDS, connections: CONNECTIONS }, null, 2) + '\n');
fs.rmSync(dir, { recursive: true, force: true });
