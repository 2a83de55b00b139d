/**
 * One emulator per test worker (jest or vitest), without the engine in the worker: the global setup
 * starts one emulator per worker in the runner's main process and publishes their URLs in the
 * environment, which the workers inherit; a worker picks its own by its id (JEST_WORKER_ID, or
 * VITEST_POOL_ID). Workers in parallel therefore never share a clock, settings or state; the test
 * files a worker runs one after another share its emulator, so each file resets it first.
 * This file needs only the client: it is built as ESM and as CommonJS (dist/cjs).
 */
import { EmulatorClient, type EmulatorClientOptions } from './client.js';

/** The environment variable holding the emulators' URLs (comma-separated, by worker id - 1). */
export const URLS_ENV = 'CLOUD_API_EMULATOR_URLS';
/** The first emulator's URL, for code that knows of one emulator only. */
export const URL_ENV = 'CLOUD_API_EMULATOR_URL';
/** Most emulators a global setup starts (one per worker; about 0.2 s and a few tens of MB each). */
export const MAX_WORKER_EMULATORS = 32;

/** What the global setup needs of a started emulator. */
export interface StartedEmulator {
  url: string;
  close(): Promise<void>;
}

/** Options for each worker's emulator: those of startEmulator() (the port is always a free one). */
export type WorkerEmulatorOptions = Record<string, unknown>;

const RUNNING = Symbol.for('cloud-api-emulator.jest.running');
type Holder = { [RUNNING]?: StartedEmulator[] };

/** This worker's id, 1-based (1 when tests run in band). */
export function workerId(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.JEST_WORKER_ID ?? env.VITEST_POOL_ID ?? '1';
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new Error(`cloud-api-emulator: cannot tell this worker's id from "${raw}"`);
  return id;
}

/** This worker's emulator URL, as the global setup published it. */
export function emulatorUrl(env: NodeJS.ProcessEnv = process.env): string {
  const urls = (env[URLS_ENV] ?? '').split(',').filter(Boolean);
  if (urls.length === 0) {
    if (env[URL_ENV]) return env[URL_ENV]!;
    throw new Error(`cloud-api-emulator: no emulator URL in ${URLS_ENV}; is the global setup from 'cloud-api-emulator/jest' configured?`);
  }
  const id = workerId(env);
  // More workers than emulators (e.g. a runner that numbers workers past its maximum): wrap round.
  return urls[(id - 1) % urls.length]!;
}

/** A control-plane client of this worker's emulator. */
export function emulatorClient(options: EmulatorClientOptions = {}): EmulatorClient {
  return new EmulatorClient(emulatorUrl(), options);
}

/** How many workers the runner uses: jest's globalConfig.maxWorkers, vitest's maxWorkers/maxThreads, else the CPUs. */
function workerCount(config: any, cpus: number): number {
  const n = Number(config?.maxWorkers ?? config?.config?.maxWorkers ?? config?.config?.poolOptions?.threads?.maxThreads ?? cpus);
  return Math.max(1, Math.min(Number.isInteger(n) && n > 0 ? n : cpus, MAX_WORKER_EMULATORS));
}

/** A global setup that starts one emulator per worker with these options (see createGlobalSetup in 'cloud-api-emulator/jest'). */
export function makeGlobalSetup(load: () => Promise<(options: any) => Promise<StartedEmulator>>, cpus: () => number, options: WorkerEmulatorOptions = {}) {
  return async function globalSetup(config?: unknown): Promise<() => Promise<void>> {
    const start = await load();
    const count = workerCount(config, cpus());
    const started = await Promise.allSettled(Array.from({ length: count }, () => start({ ...options, port: 0 })));
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(ok.map((e) => e.close()));
      throw failed.reason;
    }
    ((globalThis as Holder)[RUNNING] ??= []).push(...ok);
    process.env[URLS_ENV] = ok.map((e) => e.url).join(',');
    process.env[URL_ENV] = ok[0]!.url;
    return globalTeardown; // vitest calls what its global setup returns; jest uses globalTeardown
  };
}

/** Stops the emulators the global setup started. */
export async function globalTeardown(): Promise<void> {
  const running = (globalThis as Holder)[RUNNING] ?? [];
  (globalThis as Holder)[RUNNING] = [];
  await Promise.all(running.map((e) => e.close()));
}
