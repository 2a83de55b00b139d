/** ENS (2017-11-10): a stub until the ENS operations land (the ENS helper replaces this file). */
import type { Hook } from '../../../core/lifecycle.js';
import type { EngineContext } from '../../../core/context.js';
import type { RpcOperation } from '../operation.js';

export const ensOperations: RpcOperation[] = [];
export const ensHooks: Record<string, Hook> = {};
export function normalizeEns(_part: Record<string, any>, _ctx: EngineContext): void {}
