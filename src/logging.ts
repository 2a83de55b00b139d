/**
 * The emulator's logger. JSON lines (pino) are for machines: a CI log, a container, a file. A person
 * at a terminal gets one readable line per request instead, e.g.
 *   POST /v1/instances/reboot 400 2.1ms huawei RebootInstances KOOPHONE.API.5005
 * and other lines as `LEVEL message`. 'auto' picks by whether stdout is a terminal.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.js';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One JSON log record as a line a person reads. */
export function prettyLine(record: Record<string, any>): string {
  if (record.msg === 'request') {
    const ms = typeof record.ms === 'number' ? `${record.ms < 10 ? record.ms.toFixed(1) : Math.round(record.ms)}ms` : '';
    return [record.method, record.url, record.status, ms, record.provider === 'emulator' ? 'control' : record.provider, record.operation, record.errorCode].filter((v) => v !== undefined && v !== '').join(' ');
  }
  const level = LEVEL_NAMES[record.level] ?? String(record.level);
  const err = record.err ? `: ${record.err.message ?? record.err}` : '';
  return `${level} ${record.msg ?? ''}${err}`;
}

/** pino writes each record as one JSON line; this turns it into a readable one. */
function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      try {
        out.write(prettyLine(JSON.parse(line)) + '\n');
      } catch {
        out.write(line);
      }
    },
  };
}

export function createLogger(level: LogLevel, format: LogFormat, out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && out.isTTY === true);
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  return pretty ? pino(options, prettyStream(out)) : pino(options);
}
