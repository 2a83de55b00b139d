/**
 * The emulator's options: their names as flags and env vars, defaults, and validation. The CLI and
 * the README's options table are both generated from OPTIONS, so they cannot drift apart.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatorError } from './core/errors.js';
import { type Duration, parseDuration } from './core/transitions.js';
import type { ClockMode } from './core/clock.js';
import type { StateDoc } from './core/state.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_FIXTURES = path.join(PACKAGE_ROOT, 'fixtures', 'default.json');
export const DEFAULT_PORT = 4580;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** What startEmulator() takes. Everything is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 picks any free port. Default 4580. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** The store's data file. Default ./data/state.json (ignored with inMemory). */
  data?: string;
  /** Keep the state in memory only (no file). */
  inMemory?: boolean;
  /** Fixtures loaded into a new store and on reset: a file path, 'none', or a state document. */
  fixtures?: string | StateDoc;
  logLevel?: LogLevel;
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
  /** Compact the data file once its change log exceeds this many bytes. Default 64 MiB. */
  compactBytes?: number;
}

export interface ResolvedConfig {
  port: number;
  host: string;
  data?: string;
  fixtures: string | StateDoc | 'none';
  logLevel: LogLevel;
  transitions: Record<string, Duration>;
  clock: ClockMode;
  clockStart?: number;
  bodyLimit: number;
  fsync: boolean;
  settings: Record<string, unknown>;
  journalSize: number;
  compactBytes: number;
}

type Kind = 'port' | 'string' | 'flag' | 'level' | 'pairs' | 'clock' | 'size' | 'count';

export interface OptionDef {
  key: keyof EmulatorOptions;
  flag: string;
  env: string;
  kind: Kind;
  arg?: string;
  description: string;
  default?: string;
}

export const OPTIONS: OptionDef[] = [
  { key: 'port', flag: 'port', env: 'PORT', kind: 'port', arg: 'N', default: String(DEFAULT_PORT), description: 'TCP port (0 = any free port)' },
  { key: 'host', flag: 'host', env: 'HOST', kind: 'string', arg: 'ADDR', default: '127.0.0.1', description: 'address to listen on (0.0.0.0 in a container)' },
  { key: 'data', flag: 'data', env: 'EMULATOR_DATA', kind: 'string', arg: 'FILE', default: './data/state.json', description: 'the store file (its change log is FILE.log)' },
  { key: 'inMemory', flag: 'in-memory', env: 'EMULATOR_IN_MEMORY', kind: 'flag', description: 'keep the state in memory only, no file' },
  { key: 'fixtures', flag: 'fixtures', env: 'EMULATOR_FIXTURES', kind: 'string', arg: 'FILE|none', default: 'fixtures/default.json', description: 'state loaded into a new store and by POST /_emulator/reset' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', kind: 'level', arg: 'LEVEL', default: 'info', description: `one of ${LOG_LEVELS.join(', ')}` },
  { key: 'transitions', flag: 'transition', env: 'EMULATOR_TRANSITIONS', kind: 'pairs', arg: 'NAME=DURATION', description: 'a transition duration (500, 2s, 1m, 1h, 0, never); repeat the flag, or comma-separate in the env var' },
  { key: 'clock', flag: 'clock', env: 'EMULATOR_CLOCK', kind: 'clock', arg: 'MODE', default: 'system', description: "'system', or 'manual' (frozen; moved by POST /_emulator/clock)" },
  { key: 'clockStart', flag: 'clock-start', env: 'EMULATOR_CLOCK_START', kind: 'string', arg: 'ISO', description: 'the instant the clock starts at' },
  { key: 'bodyLimit', flag: 'body-limit', env: 'EMULATOR_BODY_LIMIT', kind: 'size', arg: 'BYTES', default: '1048576', description: 'largest request body; larger gets 413 in the provider\'s envelope' },
  { key: 'fsync', flag: 'fsync', env: 'EMULATOR_FSYNC', kind: 'flag', description: 'fdatasync every group commit (survive power loss, not only a crash)' },
  { key: 'settings', flag: 'set', env: 'EMULATOR_SETTINGS', kind: 'pairs', arg: 'KEY=VALUE', description: 'a provider setting (see "Provider settings"); repeatable' },
  { key: 'journalSize', flag: 'journal-size', env: 'EMULATOR_JOURNAL_SIZE', kind: 'count', arg: 'N', default: '1000', description: 'requests kept for GET /_emulator/requests' },
];

export function resolveConfig(options: EmulatorOptions): ResolvedConfig {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmulatorError(`invalid port ${port}: use 0 to 65535`);
  const logLevel = options.logLevel ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new EmulatorError(`invalid log level "${logLevel}": use one of ${LOG_LEVELS.join(', ')}`);
  const clock = options.clock ?? 'system';
  if (clock !== 'system' && clock !== 'manual') throw new EmulatorError(`invalid clock mode "${clock}": use system or manual`);
  let clockStart: number | undefined;
  if (options.clockStart !== undefined) {
    clockStart = typeof options.clockStart === 'number' ? options.clockStart : Date.parse(options.clockStart);
    if (!Number.isFinite(clockStart)) throw new EmulatorError(`invalid clock start "${options.clockStart}": use an ISO 8601 time`);
  }
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new EmulatorError(`invalid body limit ${bodyLimit}: use a whole number of bytes >= 1024`);
  const journalSize = options.journalSize ?? 1000;
  if (!Number.isInteger(journalSize) || journalSize < 0) throw new EmulatorError(`invalid journal size ${journalSize}`);
  let fixtures: ResolvedConfig['fixtures'] = options.fixtures ?? DEFAULT_FIXTURES;
  if (typeof fixtures === 'string' && fixtures !== 'none') fixtures = path.resolve(fixtures);
  return {
    port,
    host: options.host ?? '127.0.0.1',
    data: options.inMemory ? undefined : path.resolve(options.data ?? './data/state.json'),
    fixtures,
    logLevel,
    transitions: options.transitions ?? {},
    clock,
    clockStart,
    bodyLimit,
    fsync: options.fsync ?? false,
    settings: options.settings ?? {},
    journalSize,
    compactBytes: options.compactBytes ?? 64 * 1024 * 1024,
  };
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
    case 'clock':
      if (raw !== 'system' && raw !== 'manual') throw bad(`"${raw}" is not system or manual`);
      return raw;
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
    } else options[def.key] = parseValue(def, value, `--${name} ${value}`);
  }
  for (const [def, list] of pairs) {
    const fromEnv = (options[def.key] as Record<string, unknown> | undefined) ?? {};
    options[def.key] = { ...fromEnv, ...pairsToOption(def, list, `--${def.flag}`) };
  }
  return { kind: 'run', options: options as EmulatorOptions };
}

export function helpText(settings: Array<{ key: string; description: string; default: unknown }>, transitions: Record<string, Duration>): string {
  const lines = ['Usage: cloud-api-emulator [options]', '', 'Options (each also from its env var; a flag wins over the env var):'];
  for (const d of OPTIONS) {
    const left = `  --${d.flag}${d.arg ? ` ${d.arg}` : ''}`;
    const dflt = d.default ? ` (default ${d.default})` : '';
    lines.push(`${left.padEnd(34)} ${d.description}${dflt}  [${d.env}]`);
  }
  lines.push(`  ${'--help, --version'.padEnd(32)} this text; the version`);
  lines.push('', 'Transitions (--transition NAME=DURATION; ms unless suffixed):');
  for (const [name, ms] of Object.entries(transitions)) lines.push(`  ${name.padEnd(32)} default ${ms === null ? 'never' : `${ms}ms`}`);
  lines.push('', 'Provider settings (--set KEY=VALUE):');
  for (const s of settings) lines.push(`  ${s.key.padEnd(32)} ${s.description} (default ${JSON.stringify(s.default)})`);
  return lines.join('\n');
}
