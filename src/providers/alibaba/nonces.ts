/**
 * Strict mode's replay guard: every signature nonce accepted is remembered, by the instant the request
 * was signed at (its Timestamp / x-acs-date), until that instant is too old for the 15-minute check.
 * Memory is bounded: past NONCE_CAPACITY nonces, the oldest instants are forgotten. Whatever is
 * forgotten (too old, over the cap, or lost with a restart) raises the horizon: a request signed at
 * or before it is refused outright, so no forgotten nonce can ever be replayed. Across restarts the
 * horizon starts at the latest signing instant the previous processes accepted, kept in the state
 * document (`alibaba.replayGuard`).
 */
import type { EngineContext } from '../../core/context.js';

/** Nonces remembered at most (documented in the README). */
export const NONCE_CAPACITY = 10_000;
export const REPLAY_GUARD = 'alibaba.replayGuard';
const GUARD_ID = 'strictAuth';

export type NonceVerdict = 'fresh' | 'used' | 'beforeHorizon';

/** Counters for tests: how many nonces are held, and how many were forgotten. */
export interface NonceStats {
  size: number;
  forgotten: number;
}

/** The memories of running emulators, so a test can count what one holds. */
export const nonceMemories = new WeakMap<EngineContext, NonceMemory>();

export class NonceMemory {
  /** Nonce keys by the instant (ms) their requests were signed at. */
  private readonly bySignedAt = new Map<number, Set<string>>();
  /** The instants in bySignedAt, as a binary min-heap: the oldest is forgotten first. */
  private readonly heap: number[] = [];
  private count = 0;
  private forgottenCount = 0;
  /** Requests signed at or before this instant are refused (their nonces may have been forgotten). */
  horizon = Number.NEGATIVE_INFINITY;
  /** The latest signing instant accepted: what the state document must hold before an answer goes out. */
  latestAccepted = Number.NEGATIVE_INFINITY;

  constructor(private readonly capacity = NONCE_CAPACITY) {}

  get stats(): NonceStats {
    return { size: this.count, forgotten: this.forgottenCount };
  }

  /**
   * Checks a nonce and, when fresh, remembers it. `oldest` is the earliest signing instant the
   * timestamp check still accepts: older instants are forgotten (and raise the horizon) first.
   */
  admit(key: string, signedAt: number, oldest: number): NonceVerdict {
    while (this.heap.length > 0 && this.heap[0]! < oldest) this.forgetOldest();
    if (signedAt <= this.horizon) return 'beforeHorizon';
    let bucket = this.bySignedAt.get(signedAt);
    if (bucket?.has(key)) return 'used';
    if (!bucket) {
      bucket = new Set();
      this.bySignedAt.set(signedAt, bucket);
      this.push(signedAt);
    }
    bucket.add(key);
    this.count += 1;
    if (signedAt > this.latestAccepted) this.latestAccepted = signedAt;
    while (this.count > this.capacity) this.forgetOldest();
    return 'fresh';
  }

  /** Raises the horizon (a restart: what earlier processes accepted is not in memory). */
  raiseHorizon(to: number): void {
    if (to > this.horizon) this.horizon = to;
  }

  private forgetOldest(): void {
    const at = this.pop();
    const bucket = this.bySignedAt.get(at);
    this.bySignedAt.delete(at);
    const n = bucket?.size ?? 0;
    this.count -= n;
    this.forgottenCount += n;
    this.raiseHorizon(at);
  }

  private push(value: number): void {
    const h = this.heap;
    h.push(value);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= h[i]!) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** The latest signing instant accepted by any process on this state document (undefined: none recorded). */
export function persistedHorizon(ctx: EngineContext): number | undefined {
  const entry = ctx.store.get(REPLAY_GUARD, GUARD_ID);
  return typeof entry?.acceptedUntil === 'number' ? entry.acceptedUntil : undefined;
}

/**
 * Records `memory.latestAccepted` in the state document when it is later than what is there: at
 * most one write per new signing instant (a second, as clients sign), none while the clock is frozen.
 */
export async function persistHorizon(ctx: EngineContext, memory: NonceMemory): Promise<void> {
  const latest = memory.latestAccepted;
  if (!Number.isFinite(latest)) return;
  const stored = persistedHorizon(ctx);
  if (stored !== undefined && stored >= latest) return;
  await ctx.store.mutate((tx) => {
    tx.put(REPLAY_GUARD, { id: GUARD_ID, acceptedUntil: latest, acceptedUntilText: new Date(latest).toISOString() });
  });
}
