/**
 * The emulator's options: their names as flags and env vars, defaults, and validation. The CLI and
 * the README's options table are both generated from OPTIONS, so they cannot drift apart.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatorError } from './core/errors.js';
import { type Duration, MAX_DURATION_MS, parseDuration } from './core/transitions.js';
import { type ClockMode, CLOCK_RANGE_TEXT, isInstant } from './core/clock.js';
import type { StateDoc } from './core/state.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_FIXTURES = path.join(PACKAGE_ROOT, 'fixtures', 'default.json');
export const DEFAULT_PORT = 4580;

/** Ranges of the numeric options (inclusive), shown by --help and in the README. */
export const LIMITS = {
  port: [0, 65535],
  bodyLimit: [1024, 256 * 1024 * 1024],
  controlBodyLimit: [1024, 1024 * 1024 * 1024],
  journalSize: [0, 100_000],
  transitionLogSize: [0, 100_000],
  compactBytes: [1024, 2 ** 40],
  controlTokenLength: [16, 1024],
  allowedHosts: [1, 100],
  eventStreams: [1, 256],
  eventKeepAliveMs: [10, 3_600_000],
} as const;
export const DEFAULT_CONTROL_BODY_LIMIT = 64 * 1024 * 1024;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** 'pretty': one readable line per request; 'json': one JSON object per line; 'auto': pretty in a terminal, else JSON. */
export type LogFormat = 'auto' | 'pretty' | 'json';
const LOG_FORMATS: LogFormat[] = ['auto', 'pretty', 'json'];
/** The command's defaults where they differ from startEmulator()'s (a file-backed sandbox, info logs). */
export const CLI_DEFAULT_DATA = './data/state.json';
export const CLI_DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** What startEmulator() takes. Everything is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 picks any free port. Default 4580. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** The store's data file. Default: none, the state is in memory (the command's default is ./data/state.json). */
  data?: string;
  /** Keep the state in memory only (no file); `data` is then ignored. Default: true unless `data` is given. */
  inMemory?: boolean;
  /** Fixtures loaded into a new store and on reset: a file path, 'none', or a state document. */
  fixtures?: string | StateDoc;
  /** Default 'warn' (the command's default is 'info'). */
  logLevel?: LogLevel;
  /** Default 'auto': readable lines in a terminal, JSON lines otherwise. */
  logFormat?: LogFormat;
  /** Durations by transition name, in ms; null = never. */
  transitions?: Record<string, Duration>;
  /** 'manual' freezes the clock until it is set or advanced. Default 'system'. */
  clock?: ClockMode;
  /** Where the clock starts (ISO time or ms since the epoch). Default: now. */
  clockStart?: string | number;
  /** Largest request body, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** fdatasync the change log on every group commit. Default false (durable across a process crash, not power loss). */
  fsync?: boolean;
  /** Provider settings by key (see `--set`), e.g. { 'alibaba.strictAuth': true }. */
  settings?: Record<string, unknown>;
  /** How many requests the journal (GET /_emulator/requests) keeps. Default 1000. */
  journalSize?: number;
  /** How many completed transition steps GET /_emulator/transitions/completed keeps. Default 1000. */
  transitionLogSize?: number;
  /** Compact the data file once its change log exceeds this many bytes. Default 64 MiB. */
  compactBytes?: number;
  /** Largest control-plane (/_emulator) request body, in bytes; also the in-flight budget of all control bodies. Default 64 MiB. */
  controlBodyLimit?: number;
  /**
   * Host names the control plane answers besides the loopback names (localhost, 127.0.0.1, [::1])
   * and the address it listens on, e.g. a container's service name; '*' answers any Host.
   */
  allowedHosts?: string[];
  /** When set, every control-plane route but /_emulator/health demands `Authorization: Bearer <token>`. */
  controlToken?: string;
  /** Most GET /_emulator/events streams open at once (a further one is 429). Default 16. */
  eventStreams?: number;
  /** How often an idle event stream sends a keep-alive comment, in ms. Default 15000. */
  eventKeepAliveMs?: number;
}

export interface ResolvedConfig {
  port: number;
  host: string;
  data?: string;
  fixtures: string | StateDoc | 'none';
  /** Whether the fixtures were given (not the default): a data file that makes them moot is then reported. */
  fixturesGiven: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  transitions: Record<string, Duration>;
  clock: ClockMode;
  clockStart?: number;
  bodyLimit: number;
  fsync: boolean;
  settings: Record<string, unknown>;
  journalSize: number;
  transitionLogSize: number;
  compactBytes: number;
  controlBodyLimit: number;
  /** Lower-cased names; IPv6 addresses in brackets. */
  allowedHosts: string[];
  controlToken?: string;
  eventStreams: number;
  eventKeepAliveMs: number;
}

type Kind = 'port' | 'string' | 'flag' | 'level' | 'format' | 'pairs' | 'clock' | 'size' | 'count' | 'list';

export interface OptionDef {
  key: keyof EmulatorOptions;
  flag: string;
  env: string;
  kind: Kind;
  arg?: string;
  description: string;
  default?: string;
  /** The range of a numeric option, shown by --help. */
  range?: readonly [number, number];
}

export const OPTIONS: OptionDef[] = [
  { key: 'port', flag: 'port', env: 'PORT', kind: 'port', arg: 'N', default: String(DEFAULT_PORT), range: LIMITS.port, description: 'TCP port (0 = any free port)' },
  { key: 'host', flag: 'host', env: 'HOST', kind: 'string', arg: 'ADDR', default: '127.0.0.1', description: 'address to listen on (0.0.0.0 in a container)' },
  { key: 'data', flag: 'data', env: 'EMULATOR_DATA', kind: 'string', arg: 'FILE', default: CLI_DEFAULT_DATA, description: 'the store file (its change log is FILE.log)' },
  { key: 'inMemory', flag: 'in-memory', env: 'EMULATOR_IN_MEMORY', kind: 'flag', description: 'keep the state in memory only, no file' },
  { key: 'fixtures', flag: 'fixtures', env: 'EMULATOR_FIXTURES', kind: 'string', arg: 'FILE|none', default: 'fixtures/default.json', description: 'state loaded into a new store and by POST /_emulator/reset' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', kind: 'level', arg: 'LEVEL', default: CLI_DEFAULT_LOG_LEVEL, description: `one of ${LOG_LEVELS.join(', ')}` },
  { key: 'logFormat', flag: 'log-format', env: 'LOG_FORMAT', kind: 'format', arg: 'FORMAT', default: 'auto', description: `one of ${LOG_FORMATS.join(', ')} (auto: readable lines in a terminal, JSON otherwise)` },
  { key: 'transitions', flag: 'transition', env: 'EMULATOR_TRANSITIONS', kind: 'pairs', arg: 'NAME=DURATION', description: 'a transition duration (500, 2s, 1m, 1h, 0, never); repeat the flag, or comma-separate in the env var' },
  { key: 'clock', flag: 'clock', env: 'EMULATOR_CLOCK', kind: 'clock', arg: 'MODE', default: 'system', description: "'system', or 'manual' (frozen; moved by POST /_emulator/clock)" },
  { key: 'clockStart', flag: 'clock-start', env: 'EMULATOR_CLOCK_START', kind: 'string', arg: 'ISO', description: 'the instant the clock starts at' },
  { key: 'bodyLimit', flag: 'body-limit', env: 'EMULATOR_BODY_LIMIT', kind: 'size', arg: 'BYTES', default: '1048576', range: LIMITS.bodyLimit, description: 'largest provider request body; larger gets 413 in the provider\'s envelope' },
  { key: 'controlBodyLimit', flag: 'control-body-limit', env: 'EMULATOR_CONTROL_BODY_LIMIT', kind: 'size', arg: 'BYTES', default: String(DEFAULT_CONTROL_BODY_LIMIT), range: LIMITS.controlBodyLimit, description: 'largest /_emulator request body (a seed), and the bytes of control bodies held at once' },
  { key: 'fsync', flag: 'fsync', env: 'EMULATOR_FSYNC', kind: 'flag', description: 'fdatasync every group commit (survive power loss, not only a crash)' },
  { key: 'settings', flag: 'set', env: 'EMULATOR_SETTINGS', kind: 'pairs', arg: 'KEY=VALUE', description: 'a provider setting (see "Provider settings"); repeatable' },
  { key: 'journalSize', flag: 'journal-size', env: 'EMULATOR_JOURNAL_SIZE', kind: 'count', arg: 'N', default: '1000', range: LIMITS.journalSize, description: 'requests kept for GET /_emulator/requests' },
  { key: 'transitionLogSize', flag: 'transition-log-size', env: 'EMULATOR_TRANSITION_LOG_SIZE', kind: 'count', arg: 'N', default: '1000', range: LIMITS.transitionLogSize, description: 'completed transition steps kept for GET /_emulator/transitions/completed' },
  { key: 'allowedHosts', flag: 'allowed-hosts', env: 'EMULATOR_ALLOWED_HOSTS', kind: 'list', arg: 'NAMES', description: "Host names the control plane answers besides loopback and the listen address (comma-separated; '*' = any, e.g. in a container)" },
  { key: 'eventStreams', flag: 'event-streams', env: 'EMULATOR_EVENT_STREAMS', kind: 'count', arg: 'N', default: '16', range: LIMITS.eventStreams, description: 'GET /_emulator/events streams open at once (the dashboard holds one); more get 429' },
  { key: 'eventKeepAliveMs', flag: 'event-keepalive', env: 'EMULATOR_EVENT_KEEPALIVE', kind: 'count', arg: 'MS', default: '15000', range: LIMITS.eventKeepAliveMs, description: 'how often an idle event stream sends a keep-alive comment (ms)' },
  { key: 'controlToken', flag: 'control-token', env: 'EMULATOR_CONTROL_TOKEN', kind: 'string', arg: 'TOKEN', description: 'make /_emulator (but /health) demand Authorization: Bearer TOKEN (16-1024 visible ASCII characters)' },
];

export function resolveConfig(options: EmulatorOptions): ResolvedConfig {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmulatorError(`invalid port ${port}: use 0 to 65535`);
  const logLevel = options.logLevel ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) throw new EmulatorError(`invalid log level "${logLevel}": use one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = options.logFormat ?? 'auto';
  if (!LOG_FORMATS.includes(logFormat)) throw new EmulatorError(`invalid log format "${logFormat}": use one of ${LOG_FORMATS.join(', ')}`);
  const clock = options.clock ?? 'system';
  if (clock !== 'system' && clock !== 'manual') throw new EmulatorError(`invalid clock mode "${clock}": use system or manual`);
  let clockStart: number | undefined;
  if (options.clockStart !== undefined) {
    clockStart = typeof options.clockStart === 'number' ? options.clockStart : Date.parse(options.clockStart);
    if (!isInstant(clockStart)) throw new EmulatorError(`invalid clock start "${options.clockStart}": use an ISO 8601 time from ${CLOCK_RANGE_TEXT}`);
  }
  const inRange = (value: number, [min, max]: readonly [number, number], what: string, unit: string) => {
    if (!Number.isInteger(value) || value < min || value > max) throw new EmulatorError(`invalid ${what} ${value}: use a whole number of ${unit} from ${min} to ${max}`);
    return value;
  };
  const bodyLimit = inRange(options.bodyLimit ?? 1024 * 1024, LIMITS.bodyLimit, 'body limit', 'bytes');
  const controlBodyLimit = inRange(options.controlBodyLimit ?? DEFAULT_CONTROL_BODY_LIMIT, LIMITS.controlBodyLimit, 'control body limit', 'bytes');
  const journalSize = inRange(options.journalSize ?? 1000, LIMITS.journalSize, 'journal size', 'requests');
  const transitionLogSize = inRange(options.transitionLogSize ?? 1000, LIMITS.transitionLogSize, 'transition log size', 'steps');
  const eventStreams = inRange(options.eventStreams ?? 16, LIMITS.eventStreams, 'event stream limit', 'streams');
  const eventKeepAliveMs = inRange(options.eventKeepAliveMs ?? 15_000, LIMITS.eventKeepAliveMs, 'event keep-alive', 'ms');
  const compactBytes = inRange(options.compactBytes ?? 64 * 1024 * 1024, LIMITS.compactBytes, 'compaction size', 'bytes');
  const allowedHosts = (options.allowedHosts ?? []).map(normalizeHostName);
  if (allowedHosts.length > LIMITS.allowedHosts[1]) throw new EmulatorError(`invalid allowed hosts: at most ${LIMITS.allowedHosts[1]} names`);
  const controlToken = options.controlToken;
  if (controlToken !== undefined) {
    const [min, max] = LIMITS.controlTokenLength;
    if (typeof controlToken !== 'string' || controlToken.length < min || controlToken.length > max || !/^[\x21-\x7e]+$/.test(controlToken)) {
      throw new EmulatorError(`invalid control token: use ${min} to ${max} visible ASCII characters (e.g. openssl rand -hex 16)`);
    }
  }
  let fixtures: ResolvedConfig['fixtures'] = options.fixtures ?? DEFAULT_FIXTURES;
  if (typeof fixtures === 'string' && fixtures !== 'none') fixtures = path.resolve(fixtures);
  return {
    port,
    host: options.host ?? '127.0.0.1',
    // In memory unless a data file is named (or inMemory is false: then the command's default file).
    data: options.inMemory === true || (options.data === undefined && options.inMemory !== false) ? undefined : path.resolve(options.data ?? CLI_DEFAULT_DATA),
    fixtures,
    fixturesGiven: options.fixtures !== undefined,
    logLevel,
    logFormat,
    transitions: options.transitions ?? {},
    clock,
    clockStart,
    bodyLimit,
    fsync: options.fsync ?? false,
    settings: options.settings ?? {},
    journalSize,
    transitionLogSize,
    compactBytes,
    controlBodyLimit,
    allowedHosts,
    controlToken,
    eventStreams,
    eventKeepAliveMs,
  };
}

/** An --allowed-hosts entry as the Host check compares it: lower case, IPv6 in brackets, no port. */
function normalizeHostName(raw: unknown): string {
  if (typeof raw !== 'string') throw new EmulatorError(`invalid allowed host ${JSON.stringify(raw)}: give host names`);
  let name = raw.trim().toLowerCase();
  if (name === '*') return name;
  if (!name.startsWith('[') && (name.match(/:/g) ?? []).length >= 2) name = `[${name}]`; // a bare IPv6 address
  const ok = /^\[[0-9a-f:.]+\]$/.test(name) || /^[a-z0-9_]([a-z0-9_.-]{0,251}[a-z0-9_])?$/.test(name);
  if (!ok) throw new EmulatorError(`invalid allowed host "${raw}": give a host name or address without scheme or port`);
  return name;
}

function parseValue(def: OptionDef, raw: string, source: string): unknown {
  const bad = (why: string) => new EmulatorError(`invalid ${source}: ${why}`);
  switch (def.kind) {
    case 'port':
    case 'count':
    case 'size': {
      if (!/^\d+$/.test(raw)) throw bad(`"${raw}" is not a whole number`);
      return Number(raw);
    }
    case 'flag': {
      const v = raw.toLowerCase();
      if (['1', 'true', 'yes', 'on', ''].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw bad(`"${raw}" is not a boolean`);
    }
    case 'level':
      if (!LOG_LEVELS.includes(raw as LogLevel)) throw bad(`"${raw}" is not one of ${LOG_LEVELS.join(', ')}`);
      return raw;
    case 'format':
      if (!LOG_FORMATS.includes(raw as LogFormat)) throw bad(`"${raw}" is not one of ${LOG_FORMATS.join(', ')}`);
      return raw;
    case 'clock':
      if (raw !== 'system' && raw !== 'manual') throw bad(`"${raw}" is not system or manual`);
      return raw;
    case 'list':
      return raw.split(',').map((x) => x.trim()).filter(Boolean);
    default:
      return raw;
  }
}

function parsePair(raw: string, source: string): [string, string] {
  const i = raw.indexOf('=');
  if (i <= 0) throw new EmulatorError(`invalid ${source}: "${raw}" is not NAME=VALUE`);
  return [raw.slice(0, i).trim(), raw.slice(i + 1).trim()];
}

function pairsToOption(def: OptionDef, pairs: string[], source: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const [k, v] = parsePair(p, source);
    if (def.key === 'transitions') {
      try {
        out[k] = parseDuration(v);
      } catch (err: any) {
        throw new EmulatorError(`invalid ${source}: ${err.message}`);
      }
    } else out[k] = v;
  }
  return out;
}

export type CliResult = { kind: 'run'; options: EmulatorOptions } | { kind: 'help' } | { kind: 'version' };

/** Flags win over env vars. Throws EmulatorError with a one-line message for anything wrong. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliResult {
  const options: Record<string, unknown> = {};
  for (const def of OPTIONS) {
    const raw = env[def.env];
    if (raw === undefined || raw === '') continue;
    const source = `${def.env}=${raw}`;
    options[def.key] = def.kind === 'pairs' ? pairsToOption(def, raw.split(',').filter(Boolean), source) : parseValue(def, raw, source);
  }
  const byFlag = new Map(OPTIONS.map((d) => [d.flag, d]));
  const pairs = new Map<OptionDef, string[]>();
  const lists = new Map<OptionDef, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version' || arg === '-v') return { kind: 'version' };
    if (!arg.startsWith('--')) throw new EmulatorError(`unexpected argument "${arg}" (see --help)`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = byFlag.get(name);
    if (!def) throw new EmulatorError(`unknown option --${name} (see --help)`);
    if (def.kind === 'flag') {
      options[def.key] = value === undefined ? true : parseValue(def, value, `--${name}`);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new EmulatorError(`option --${name} needs a value (${def.arg})`);
    }
    if (def.kind === 'pairs') {
      if (!pairs.has(def)) pairs.set(def, []);
      pairs.get(def)!.push(value);
    } else if (def.kind === 'list') {
      // Repeatable; the flags replace the env var's list.
      if (!lists.has(def)) lists.set(def, []);
      lists.get(def)!.push(...(parseValue(def, value, `--${name} ${value}`) as string[]));
    } else options[def.key] = parseValue(def, value, `--${name} ${value}`);
  }
  for (const [def, list] of lists) options[def.key] = list;
  for (const [def, list] of pairs) {
    const fromEnv = (options[def.key] as Record<string, unknown> | undefined) ?? {};
    options[def.key] = { ...fromEnv, ...pairsToOption(def, list, `--${def.flag}`) };
  }
  return { kind: 'run', options: options as EmulatorOptions };
}

export function helpText(settings: Array<{ key: string; description: string; default: unknown; min?: number; max?: number }>, transitions: Record<string, Duration>): string {
  const lines = ['Usage: cloud-api-emulator [options]', '', 'Options (each also from its env var; a flag wins over the env var):'];
  for (const d of OPTIONS) {
    const left = `  --${d.flag}${d.arg ? ` ${d.arg}` : ''}`;
    const extra = [d.default ? `default ${d.default}` : '', d.range ? `range ${d.range[0]}-${d.range[1]}` : ''].filter(Boolean).join(', ');
    lines.push(`${left.padEnd(34)} ${d.description}${extra ? ` (${extra})` : ''}  [${d.env}]`);
  }
  lines.push(`  ${'--help, --version'.padEnd(32)} this text; the version`);
  lines.push('', `Transitions (--transition NAME=DURATION; ms unless suffixed; 0 to ${MAX_DURATION_MS} ms (365 days), or never):`);
  for (const [name, ms] of Object.entries(transitions)) lines.push(`  ${name.padEnd(32)} default ${ms === null ? 'never' : `${ms}ms`}`);
  lines.push('', 'Provider settings (--set KEY=VALUE):');
  for (const s of settings) {
    const range = s.min !== undefined && s.max !== undefined ? `, range ${s.min} to ${s.max}` : '';
    lines.push(`  ${s.key.padEnd(32)} ${s.description} (default ${JSON.stringify(s.default)}${range})`);
  }
  return lines.join('\n');
}
