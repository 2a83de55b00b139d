// Benchmark plumbing: servers run as child processes (one core for the server, one for the load),
// load comes from autocannon on loopback, bounded in time, and peak RSS is read from /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts `node script --port P args` and resolves once `readyPath` answers 2xx (or, with
 * `anyAnswer`, answers at all: a mock tool serving only the benchmark's route). `command` runs
 * something other than a Node script (then `args` is a function of the port). `stop()` resolves
 * with the milliseconds from SIGTERM to the process's exit.
 */
export async function startServer(script, args, readyPath = '/_emulator/health', { env = {}, anyAnswer = false, command } = {}) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const [file, argv] = command ? [command, args(port)] : [process.execPath, [script, '--port', String(port), ...args]];
  const child = spawn(file, argv, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command ?? script} exited with ${child.exitCode}`);
    if (Number(process.hrtime.bigint() - started) / 1e9 > 120) throw new Error(`${command ?? script} did not answer within 120 s`);
    try {
      const res = await fetch(url + readyPath, { headers: { connection: 'close' } });
      await res.arrayBuffer();
      if (res.ok || anyAnswer) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    url,
    child,
    startupMs,
    peakRssMb: () => peakRss(child.pid),
    async stop() {
      const t = process.hrtime.bigint();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      return Number(process.hrtime.bigint() - t) / 1e6;
    },
  };
}

/**
 * Latency at one connection: requests sent one after the other on a single keep-alive socket for
 * `seconds` (what a sequential test suite waits on), timed each in microseconds. Returns p50/p99 in ms.
 */
export async function sequentialLatency(url, { seconds, requests }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(url);
  const template = requests[0];
  const times = [];
  let failed = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    const req = template.setupRequest ? template.setupRequest({ ...template }) : template;
    const t = process.hrtime.bigint();
    const status = await new Promise((resolve) => {
      const r = http.request({ host: base.hostname, port: base.port, agent, method: req.method ?? 'GET', path: req.path ?? '/', headers: req.headers ?? {} }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      r.on('error', () => resolve(0));
      r.end(req.body);
    });
    times.push(Number(process.hrtime.bigint() - t) / 1e3);
    if (!(status >= 200 && status < 300)) failed++;
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] / 10) / 100;
  return { p50: at(0.5), p99: at(0.99), count: times.length, failed };
}

function peakRss(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return NaN;
  }
}

async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs autocannon for `seconds` against url; `requests` is autocannon's request list. */
export async function load(url, { seconds, connections = 10, requests, pipelining = 1 }) {
  const result = await autocannon({
    url,
    connections,
    pipelining,
    duration: seconds,
    timeout: 10,
    requests,
  });
  const answered = result.requests.total;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: answered,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status: result.statusCodeStats,
  };
}

export function fileSizeMb(file) {
  let total = 0;
  for (const f of [file, `${file}.log`]) if (fs.existsSync(f)) total += fs.statSync(f).size;
  return Math.round((total / 1024 / 1024) * 100) / 100;
}

export function tmpDir() {
  const dir = path.join(ROOT, '.tmp', `bench-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
