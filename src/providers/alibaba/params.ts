/**
 * Reading RPC params, which all arrive as strings: repeat lists (`ResourceId.1`), lists of objects
 * (`Tag.1.Key`), numbers, booleans and JSON strings. Bad values throw the common
 * MissingParameter / InvalidParameter errors; pass your own factory to use a product's code.
 */
import { AlibabaError, protocolErrors } from './errors.js';

type Params = Record<string, string>;
type Invalid = (name: string, why: string) => AlibabaError;

/** `ResourceId.1=a&ResourceId.2=b` → ['a', 'b'], ordered by index. */
export function listParam(params: Params, prefix: string, invalid: Invalid = protocolErrors.invalidParameter): string[] {
  const found: Array<[number, string]> = [];
  const re = new RegExp(`^${escape(prefix)}\\.(\\d+)$`);
  for (const [key, value] of Object.entries(params)) {
    const m = re.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    if (n < 1) throw invalid(key, 'The index of a list parameter starts at 1.');
    found.push([n, value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Tag.1.Key=k&Tag.1.Value=v` → [{ Key: 'k', Value: 'v' }], ordered by index; absent fields left out. */
export function objectListParam(params: Params, prefix: string, invalid: Invalid = protocolErrors.invalidParameter): Array<Record<string, string>> {
  const byIndex = new Map<number, Record<string, string>>();
  const re = new RegExp(`^${escape(prefix)}\\.(\\d+)\\.([A-Za-z0-9]+)$`);
  for (const [key, value] of Object.entries(params)) {
    const m = re.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    if (n < 1) throw invalid(key, 'The index of a list parameter starts at 1.');
    const item = byIndex.get(n) ?? {};
    item[m[2]!] = value;
    byIndex.set(n, item);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export function requireParam(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw protocolErrors.missingParameter(name);
  return value;
}

/**
 * An integer param, or `fallback` when absent. Its bounds are in the operation's request schema
 * (the protocol hands the schema integers): a handler only reads the number.
 */
export function intParam(params: Params, name: string, fallback?: number, invalid: Invalid = protocolErrors.invalidParameter): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) throw invalid(name, 'It must be an integer.');
  return n;
}

export function boolParam(params: Params, name: string, fallback = false, invalid: Invalid = protocolErrors.invalidParameter): boolean {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'True') return true;
  if (raw === 'false' || raw === 'False') return false;
  throw invalid(name, `It must be true or false, not "${raw}".`);
}

/** A param that carries JSON by API design (`ContainerGroupIds='["eci-1"]'`, ENS `EventInfos`). */
export function jsonParam(params: Params, name: string, invalid: Invalid = protocolErrors.invalidParameter): unknown {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid(name, 'It must be a JSON string.');
  }
}

/** A comma-joined list (`style=simple`: `EventTypes=a,b`). */
export function csvParam(params: Params, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
