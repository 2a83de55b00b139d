/**
 * Access keys (`alibaba.accessKeys`: `{ AccessKeyId, AccessKeySecret, AccountId?, Actions? }`) and
 * the RAM check of a key's `Actions` against an operation's permission.
 */
import { SeedError, type EngineContext } from '../../core/context.js';
import { ALIBABA } from './settings.js';

export const ACCESS_KEYS = 'alibaba.accessKeys';

export interface AccessKey {
  AccessKeyId: string;
  AccessKeySecret: string;
  AccountId: string;
  /** RAM actions allowed (`eci:RestartContainerGroup`, `eci:*`, `eci:Describe*`, `*`); absent = all. */
  Actions?: string[];
}

export function normalizeAccessKeys(part: Record<string, any>, ctx: EngineContext): void {
  const keys = part.accessKeys;
  if (keys === undefined) return;
  if (!Array.isArray(keys)) throw new SeedError([{ path: 'alibaba.accessKeys', message: 'alibaba.accessKeys must be an array' }]);
  const errors: Array<{ path: string; message: string }> = [];
  keys.forEach((k: any, i: number) => {
    const path = `alibaba.accessKeys[${i}]`;
    if (typeof k !== 'object' || k === null) return errors.push({ path, message: `${path} must be an object` });
    if (typeof k.AccessKeyId !== 'string' || k.AccessKeyId === '') errors.push({ path, message: `${path}.AccessKeyId must be a non-empty string` });
    if (typeof k.AccessKeySecret !== 'string' || k.AccessKeySecret === '') errors.push({ path, message: `${path}.AccessKeySecret must be a non-empty string` });
    if (k.Actions !== undefined && !(Array.isArray(k.Actions) && k.Actions.every((a: unknown) => typeof a === 'string'))) {
      errors.push({ path, message: `${path}.Actions must be an array of strings` });
    }
    k.AccountId ??= ctx.settings.get(ALIBABA.defaultAccountId);
    if (typeof k.AccountId !== 'string') k.AccountId = String(k.AccountId);
    return undefined;
  });
  if (errors.length) throw new SeedError(errors);
}

/** Whether `allowed` (a key's Actions) grants `action`; patterns may end in `*`. */
export function allows(allowed: readonly string[] | undefined, action: string): boolean {
  if (allowed === undefined) return true;
  return allowed.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('*')) return action.toLowerCase().startsWith(pattern.slice(0, -1).toLowerCase());
    return pattern.toLowerCase() === action.toLowerCase();
  });
}
