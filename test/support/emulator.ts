/**
 * Starts an in-process emulator for a test: in memory, manual clock, silent, on a free port.
 * Tests talk to it over real HTTP (supertest on its URL, or an official SDK pointed at it).
 */
import request from 'supertest';
import { pino } from 'pino';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../src/index.js';

export interface TestEmulator extends RunningEmulator {
  /** supertest bound to the emulator's URL: `t.http.get('/x')`. */
  http: ReturnType<typeof request>;
  /** POST /_emulator/seed with a partial state document; throws unless 200. */
  seed(partial: Record<string, unknown>): Promise<void>;
  /** Moves the manual clock (and settles what falls due) through the control plane. */
  advance(ms: number): Promise<void>;
  state(): Promise<Record<string, any>>;
}

export const SILENT = pino({ level: 'silent' });

export async function startTestEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({
    port: 0,
    inMemory: options.data === undefined,
    fixtures: 'none',
    clock: 'manual',
    clockStart: '2026-01-15T08:00:00.000Z',
    logger: SILENT,
    // Every control-plane answer in the suite is checked against its schema in schemas/control/.
    checkControlResponses: true,
    ...options,
  });
  const http = request(emulator.url);
  return Object.assign(emulator, {
    http,
    async seed(partial: Record<string, unknown>) {
      const res = await request(emulator.url).post('/_emulator/seed').send(partial);
      if (res.status !== 200) throw new Error(`seed failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async advance(ms: number) {
      const res = await request(emulator.url).post('/_emulator/clock').send({ advanceMs: ms });
      if (res.status !== 200) throw new Error(`advance failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async state() {
      return (await request(emulator.url).get('/_emulator/state')).body;
    },
  });
}
