/** Runs the built CLI (dist/cli.js) as a child process, as a user's shell would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv(), ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<Finished>;
}

/** Starts the CLI and resolves once it prints its URL. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv(), ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<Finished>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve({ child, url: m[1]!, output: () => stdout, exited });
    });
    exited.then((f) => reject(new Error(`emulator exited before listening: ${f.code} ${f.stderr}`)));
  });
}

/** The parent's environment without the emulator's own variables, so tests are not steered by the shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('EMULATOR_') || k === 'PORT' || k === 'HOST' || k === 'LOG_LEVEL') delete env[k];
  return env;
}
