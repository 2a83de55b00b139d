// Benchmark plumbing: servers run as child processes (one core for the server, one for the load),
// load comes from autocannon on loopback, bounded in time, and peak RSS is read from /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts `node script args` and resolves once `readyUrl` answers 2xx. */
export async function startServer(script, args, readyPath = '/_emulator/health', env = {}) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [script, '--port', String(port), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
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
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
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
