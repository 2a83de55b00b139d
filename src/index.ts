/**
 * The public API: start an emulator in-process (for a test suite's globalSetup, or the CLI).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import type { Logger } from 'pino';
import { buildApp } from './http/app.js';
import { type EmulatorOptions, PACKAGE_ROOT, resolveConfig } from './config.js';
import { ByteBudget } from './core/byte-budget.js';
import { Clock } from './core/clock.js';
import type { EngineContext } from './core/context.js';
import { EmulatorError } from './core/errors.js';
import { Faults } from './core/faults.js';
import type { FileSystem } from './core/fsio.js';
import { IDEMPOTENCY_COLLECTION, Idempotency } from './core/idempotency.js';
import { Journal } from './core/journal.js';
import { CompletedTransitions } from './core/completed.js';
import { Lifecycle } from './core/lifecycle.js';
import { StateDocuments } from './core/documents.js';
import { Pipeline } from './core/pipeline/engine.js';
import { Schemas } from './core/schemas.js';
import { Settings } from './core/settings.js';
import { InitialDocument, Store } from './core/store.js';
import { Durations } from './core/transitions.js';
import { connectEvents, EventBus } from './core/events.js';
import { type ResetOptions, parseResetOptions } from './core/reset.js';
import type { PendingStep, SettleResult } from './core/lifecycle.js';
import { createLogger } from './logging.js';
import { BUILTIN_PROVIDERS } from './providers/index.js';
import type { ProviderModule } from './providers/provider.js';

export type { EmulatorOptions, LogLevel, LogFormat } from './config.js';
export type { ResetOptions, Resettable } from './core/reset.js';
export type { PendingStep, SettleResult } from './core/lifecycle.js';
export {
  EmulatorClient,
  EmulatorClientError,
  type ClientResetOptions,
  type CompletedTransition,
  type ClockState as ClientClockState,
  type EmulatorClientOptions,
  type EmulatorEvent,
  type FaultKind,
  type OperationCatalogue,
  type ResourcePage,
  type ResourceRecord,
  type FaultRuleHeld,
  type FaultRuleInput,
  type Health,
  type PendingTransition,
  type RequestRecord,
  type ResettablePart,
  type SettingValues,
  type StateDocument,
  type TransitionDurations,
} from './client.js';
export type { Clock, ClockMode, ClockState } from './core/clock.js';
export type { EngineContext } from './core/context.js';
export type { ProviderModule } from './providers/provider.js';
export { EmulatorError } from './core/errors.js';

export interface StartOptions extends EmulatorOptions {
  /** Replaces the built-in providers (for tests of the engine itself). */
  providers?: ProviderModule[];
  /** Where log lines go; default stdout. */
  logger?: Logger;
  /** The file-system calls of the store (tests inject disk failures here). */
  fileSystem?: FileSystem;
  /** Check every control-plane answer against its schema in schemas/control/ (a mismatch is a 500 naming it). For contract tests; off by default. */
  checkControlResponses?: boolean;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4580 */
  url: string;
  port: number;
  clock: Clock;
  ctx: EngineContext;
  /**
   * Back to the fixtures the emulator started with (or an empty state), and the clock, transition
   * durations, settings, fault rules and request journal as configured, except what `keep` names.
   */
  reset(options?: ResetOptions): Promise<void>;
  /** Moves the clock to when the last pending step (of all resources, or of one) is due and settles them all. */
  settle(options?: { resource?: string }): Promise<SettleResult>;
  /** The pending transition steps (of all resources, or of one), in due order. */
  pending(options?: { resource?: string }): PendingStep[];
  /** Stops accepting requests, lets those in flight finish, flushes the store. */
  close(): Promise<void>;
  /** Stops at once without flushing (what was acknowledged is already durable). */
  kill(): void;
}

export const VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

/** Builds the engine (store, clock, lifecycle, ...) without listening: see startEmulator. */
export function createEngine(options: StartOptions = {}): EngineContext {
  const config = resolveConfig(options);
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  const providers = options.providers ?? BUILTIN_PROVIDERS;

  let durations: Durations;
  let settings: Settings;
  try {
    durations = new Durations(Object.assign({}, ...providers.map((p) => p.transitions)), config.transitions);
    settings = new Settings(providers.flatMap((p) => p.settings ?? []), config.settings);
  } catch (err: any) {
    throw new EmulatorError(err.message);
  }
  const schemas = new Schemas();
  const clock = new Clock(config.clock, config.clockStart);
  const collectionDefs = [{ path: IDEMPOTENCY_COLLECTION, idField: 'key' }, ...providers.flatMap((p) => p.collections)];

  // ctx is filled in below; the providers' defaults (normalize) read its settings and clock.
  const ctx = {} as EngineContext;
  const documents = new StateDocuments(
    providers.map((p) => ({ name: p.name, emptyState: p.emptyState, stateSchema: p.stateSchema, normalize: p.normalize ? (part: Record<string, any>) => p.normalize!(part, ctx) : undefined })),
    schemas,
    collectionDefs,
    config.fixtures,
  );

  const collections = collectionDefs;
  Object.assign(ctx, {
    config,
    clock,
    durations,
    settings,
    schemas,
    logger,
    idempotency: new Idempotency(),
    faults: new Faults(),
    journal: new Journal(config.journalSize),
    completed: new CompletedTransitions(config.transitionLogSize),
    version: VERSION,
    providers: providers.map((p) => p.name),
    controlBodies: new ByteBudget(config.controlBodyLimit),
    documents,
    events: new EventBus(),
    async reset(options?: ResetOptions) {
      const { empty, keep } = parseResetOptions(options);
      if (!keep.has('faults')) ctx.faults.clear();
      if (!keep.has('requests')) ctx.journal.clear();
      if (!keep.has('transitions')) ctx.durations.restore();
      if (!keep.has('settings')) ctx.settings.restore();
      // The completed transitions were the old document's resources': they go with it.
      ctx.completed.clear();
      // The document first: its pending steps go with it, so nothing settles against the old state
      // when the clock moves back.
      await documents.reset(ctx.store, empty);
      if (!keep.has('clock')) ctx.clock.restore();
      ctx.events.publishLatest('reset', () => ({}));
    },
  });
  const mootFixtures = checkFixtures(config);
  // Fixtures are read only when they are needed: a new store, or a reset. A data file that exists
  // is the state, and start-up time on a large one is the data file's alone.
  ctx.store = Store.open(
    {
      file: config.data,
      collections,
      compactBytes: config.compactBytes,
      fsync: config.fsync,
      fs: options.fileSystem,
      log: (level, message) => logger[level](message),
      check: (loaded) => documents.checkLoaded(loaded, config.data),
      checkVersion: documents.checkVersion(VERSION),
    },
    () => {
      const { doc, text } = documents.initialDocument((message) => logger.info(message));
      return new InitialDocument(doc, text);
    },
  );
  // Said after the store's own start-up lines (a torn log tail, ...), which come first.
  if (mootFixtures) logger.warn(mootFixtures);
  ctx.lifecycle = new Lifecycle(ctx.store, clock, (err, due) => logger.error({ err, ...due }, 'transition step failed'));
  for (const p of providers) for (const [name, hook] of Object.entries(p.hooks ?? {})) ctx.lifecycle.registerHook(name, hook);
  ctx.lifecycle.recordCompletions(ctx.completed);
  ctx.pipeline = new Pipeline({ ...ctx, journaling: config.journalSize > 0 });
  // Each provider's protocol, made once for this emulator; its operation table names what fault
  // rules and the journal may name.
  ctx.protocols = new Map(providers.map((p) => [p.name, p.protocol(ctx)]));
  ctx.operations = new Map([...ctx.protocols].map(([name, protocol]) => [name, protocol.operations.map((op) => op.name)]));
  connectEvents(ctx.events, ctx);
  // Anything that fell due while the emulator was down is settled now; the rest is re-armed.
  ctx.lifecycle.settleDue();
  return ctx;
}

/**
 * Fixtures are read only when needed (a new store, or a reset), but a path that cannot be read is
 * refused now, not at the first reset. Answers what to say when a data file makes them moot (they
 * were given, and the data file already exists), to be logged once the store is open.
 */
function checkFixtures(config: ReturnType<typeof resolveConfig>): string | undefined {
  const fixtures = config.fixtures;
  if (typeof fixtures !== 'string' || fixtures === 'none') return undefined;
  try {
    fs.accessSync(fixtures, fs.constants.R_OK);
    if (!fs.statSync(fixtures).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err: any) {
    throw new EmulatorError(`cannot read fixtures file ${fixtures}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message}`);
  }
  if (config.data !== undefined && config.fixturesGiven && fs.existsSync(config.data)) {
    return `fixtures ${fixtures} are not loaded now: the data file ${config.data} already holds the state (POST /_emulator/reset loads them; remove the data file to start from them)`;
  }
  return undefined;
}

const MAX_HEADER_BYTES = 64 * 1024;

/** A request Node's HTTP parser refused (head too large, broken request line): JSON, then close. */
function answerUnparsable(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) return void socket.destroy();
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({ errors: [{ code: tooLarge ? 'request_header_fields_too_large' : 'bad_request', message: tooLarge ? `the request line and headers are larger than ${MAX_HEADER_BYTES} bytes` : 'the request cannot be parsed as HTTP/1.1' }] });
  const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const ctx = createEngine(options);
  const providers = options.providers ?? BUILTIN_PROVIDERS;
  const app = buildApp(ctx, providers, { checkControlResponses: options.checkControlResponses });
  const server: Server = await new Promise((resolve, reject) => {
    // Long signed query strings (Alibaba RPC GETs carry every param in the URL) fit in 64 KiB of head;
    // anything Node cannot parse still gets a JSON answer rather than a bare status line.
    const s = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
    s.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerUnparsable(err, socket));
    s.listen(ctx.config.port, ctx.config.host);
    s.once('listening', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      ctx.lifecycle.stop();
      ctx.store.abandon();
      reject(new EmulatorError(err.code === 'EADDRINUSE' ? `port ${ctx.config.port} on ${ctx.config.host} is already in use` : `cannot listen on ${ctx.config.host}:${ctx.config.port}: ${err.message}`));
    });
  });
  server.keepAliveTimeout = 5000;
  // Sockets that have not sent a byte yet: Node's closeIdleConnections does not count them as idle,
  // so a client that connected and never asked (a browser's pre-opened socket, an aborted fetch's
  // fresh connection) would hold a stop for the 5 s force-close. A stop closes them: nothing is lost.
  const sockets = new Set<Duplex & { bytesRead: number }>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const closeUnused = () => {
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
  };
  const port = (server.address() as AddressInfo).port;
  const host = ctx.config.host.includes(':') ? `[${ctx.config.host}]` : ctx.config.host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    clock: ctx.clock,
    ctx,
    reset: (opts = {}) => ctx.reset(opts),
    async settle(opts = {}) {
      const result = ctx.lifecycle.settle(opts.resource);
      await ctx.store.whenIdle();
      return result;
    },
    pending: (opts = {}) => ctx.lifecycle.pending(opts.resource),
    close() {
      closing ??= (async () => {
        // Event streams never go idle: end them, or the server would wait for them.
        ctx.events.close();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), 5000);
          // Keep-alive sockets go idle as their last response ends: close them as they do.
          const idle = setInterval(() => {
            server.closeIdleConnections();
            closeUnused();
          }, 20);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            clearInterval(idle);
            resolve();
          });
          server.closeIdleConnections();
          closeUnused();
        });
        ctx.lifecycle.stop();
        await ctx.store.close();
      })();
      return closing;
    },
    kill() {
      ctx.events.close();
      server.closeAllConnections();
      server.close();
      ctx.lifecycle.stop();
      ctx.store.abandon();
    },
  };
}
