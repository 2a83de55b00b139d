/**
 * Timed transitions, stored as data on the resource itself (`_emulator.steps`), so a virtual clock
 * advance is exact and a restarted emulator resumes a restart where it was.
 *
 * A step is `{ dueAt, set?, hook?, args? }`: at `dueAt` (ms on the emulator clock; null = never)
 * the fields in `set` (dotted paths inside the entry) take their values and the named hook (a
 * provider's function, registered by name because the step must survive a restart) runs in the
 * same transaction. Steps run one at a time in global due order, and a hook sees the step's own
 * due time as "now", so a chain of steps lands on the same instants however late it is settled.
 */
import { type Clock, CLOCK_RANGE_TEXT, isInstant } from './clock.js';
import type { CompletedStep } from './completed.js';
import type { EntryChange } from './journal.js';
import { FORBIDDEN_KEYS } from './json-guard.js';
import type { Store, Tx } from './store.js';
import { type CollectionDef, EMULATOR_KEY, type Entry, type Json } from './state.js';

export interface Step {
  dueAt: number | null;
  set?: Record<string, Json>;
  hook?: string;
  args?: Json;
  /** The journal id of the request that scheduled it (or began the chain it is part of), when a request did. */
  requestId?: string;
}

/** Where completed steps are recorded (completed.ts): `recording` false skips describing them. */
export interface CompletionSink {
  readonly recording: boolean;
  add(step: CompletedStep, changes: readonly EntryChange[]): void;
}

export interface HookContext {
  tx: Tx;
  collection: string;
  /** The entry being settled (a staged copy: change it freely). */
  entry: Entry;
  step: Step;
  /** The step's due time: use it, not the clock, for timestamps and follow-up steps. */
  at: number;
  lifecycle: Lifecycle;
}

export type Hook = (ctx: HookContext) => void;

interface Due {
  at: number;
  collection: string;
  id: string;
}

/** One pending step, as GET /_emulator/transitions/pending lists it. */
export interface PendingStep {
  /** The first segment of the collection's path (the provider's part of the document). */
  provider: string;
  collection: string;
  resource: string;
  /** Its place among the resource's pending steps (0 = next), and how many there are. */
  step: number;
  steps: number;
  /** The hook that runs (a provider's named step), or "set" for a step that only sets fields. */
  transition: string;
  /** The fields a `set` step changes: their values before (as the steps before it leave them) and after. */
  from?: Record<string, Json | null>;
  to?: Record<string, Json>;
  /** When it is due on the emulator clock (ISO time and ms), or null: never. */
  due: string | null;
  dueAt: number | null;
}

/** What settle() did: steps applied, and the steps left that never come due. */
export interface SettleResult {
  settled: number;
  never: number;
}

/** Most rounds settle() runs: a hook may schedule further steps, and a chain that never ends must not hang the emulator. */
export const MAX_SETTLE_ROUNDS = 1000;

export class Lifecycle {
  private readonly hooks = new Map<string, Hook>();
  private heap: Due[] = [];
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private settling = false;
  private stopped = false;
  /** Steps applied by settleDue (a counter: settle() reports how many it applied). */
  stepsApplied = 0;
  /** Entries whose due steps a transaction applies before it commits. */
  private readonly inline = new WeakMap<Tx, Array<{ collection: string; id: string }>>();
  /** The request a transaction serves (its journal id): steps scheduled in it carry the id. */
  private readonly origins = new WeakMap<Tx, string>();
  /** Told of each step the clock completes (settleDue), with what it changed. */
  private completions?: CompletionSink;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (err: unknown, due: { collection: string; id: string }) => void = () => {},
  ) {
    store.onCommit((changes, replaced) => {
      if (replaced) return this.rebuild();
      for (const c of changes) if (c.entry) this.track(c.collection, c.entry);
      this.arm();
    });
    clock.onChange(() => {
      this.settleDue();
      this.arm();
    });
    this.rebuild();
  }

  registerHook(name: string, hook: Hook): void {
    this.hooks.set(name, hook);
  }

  /** Records each step the clock completes into `sink` (GET /_emulator/transitions/completed). */
  recordCompletions(sink: CompletionSink): void {
    this.completions = sink;
  }

  /** Names the request a transaction serves: the steps scheduled in it carry its id into the completed record. */
  originate(tx: Tx, requestId: string): void {
    this.origins.set(tx, requestId);
  }

  /**
   * Appends steps to an entry inside a transaction (the entry is staged by this call). Steps that
   * are already due (a duration of 0) are applied before that transaction commits, so the change
   * and its completion are one write and no later request can see the half-way state.
   */
  schedule(tx: Tx, collection: string, id: string, steps: Step[]): Entry {
    const origin = this.origins.get(tx);
    if (origin !== undefined) steps = steps.map((st) => (st.requestId === undefined ? { ...st, requestId: origin } : st));
    const entry = tx.update(collection, id, (draft) => {
      const meta = (draft[EMULATOR_KEY] ??= {});
      const all: Step[] = [...(meta.steps ?? []), ...steps];
      meta.steps = all;
    });
    const now = this.clock.now();
    if (steps.some((st) => st.dueAt !== null && st.dueAt <= now)) {
      let inline = this.inline.get(tx);
      if (!inline) {
        this.inline.set(tx, (inline = []));
        tx.beforeCommit(() => this.settleInline(tx, inline!, now));
      }
      inline.push({ collection, id });
    }
    return entry;
  }

  /** Applies, in due order, the due steps of entries scheduled in this transaction (and what their hooks schedule). */
  private settleInline(tx: Tx, scheduled: Array<{ collection: string; id: string }>, now: number): void {
    for (;;) {
      let best: { collection: string; id: string; at: number } | undefined;
      for (const ref of scheduled) {
        const entry = tx.get(ref.collection, ref.id);
        const first = entry ? this.pendingSteps(entry)[0] : undefined;
        if (first && first.dueAt !== null && first.dueAt <= now && (!best || first.dueAt < best.at)) best = { ...ref, at: first.dueAt };
      }
      if (!best) return;
      this.applyFirstStep(tx, best.collection, best.id);
    }
  }

  /** Drops the pending steps of an entry (e.g. a cancelled plan). */
  cancel(tx: Tx, collection: string, id: string): void {
    tx.update(collection, id, (draft) => {
      if (draft[EMULATOR_KEY]) delete draft[EMULATOR_KEY].steps;
    });
  }

  pendingSteps(entry: Entry): Step[] {
    return entry[EMULATOR_KEY]?.steps ?? [];
  }

  /** Settles every step due at or before the clock's now. Cheap when nothing is due. */
  settleDue(): void {
    if (this.settling || this.stopped) return;
    const now = this.clock.now();
    if (this.heap.length === 0 || this.heap[0]!.at > now) return;
    this.settling = true;
    try {
      while (this.heap.length > 0 && this.heap[0]!.at <= now) {
        const due = this.pop()!;
        const entry = this.store.get(due.collection, due.id);
        const first = entry ? this.pendingSteps(entry)[0] : undefined;
        if (!first || first.dueAt === null || first.dueAt !== due.at) continue; // stale heap item
        try {
          let done: CompletedStep | undefined;
          let changes: EntryChange[] | undefined;
          const describe = this.completions?.recording === true;
          this.store.mutateSync((tx) => {
            // What the commit writes of the change anyway (edit.ts), not copies made for the record.
            if (describe) changes = tx.recordChanges();
            done = this.applyFirstStep(tx, due.collection, due.id, describe);
          });
          this.stepsApplied++;
          // Recorded once committed: a step that was rolled back did not complete.
          if (done) this.completions!.add(done, changes!.filter((c) => c.collection === due.collection && c.id === due.id));
        } catch (err) {
          // A broken step must not wedge every later one: drop it, report it, go on.
          this.onError(err, due);
          this.store.mutateSync((tx) =>
            tx.update(due.collection, due.id, (draft) => {
              draft[EMULATOR_KEY].steps.shift();
              if (draft[EMULATOR_KEY].steps.length === 0) delete draft[EMULATOR_KEY].steps;
            }),
          );
        }
      }
    } finally {
      this.settling = false;
    }
    this.arm();
  }

  /** Applies an entry's first step; with `describe`, returns which it completed (for the completed record). */
  private applyFirstStep(tx: Tx, collection: string, id: string, describe = false): CompletedStep | undefined {
    let step: Step | undefined;
    const entry = tx.update(collection, id, (draft) => {
      const steps: Step[] = draft[EMULATOR_KEY].steps;
      step = steps.shift();
      if (steps.length === 0) delete draft[EMULATOR_KEY].steps;
      for (const [path, value] of Object.entries(step!.set ?? {})) setDotted(draft, path, value);
    });
    if (step!.hook) {
      const hook = this.hooks.get(step!.hook);
      if (!hook) throw new Error(`transition hook ${step!.hook} is not registered`);
      // Steps the hook schedules carry on the chain's request id.
      if (typeof step!.requestId === 'string' && !this.origins.has(tx)) this.origins.set(tx, step!.requestId);
      hook({ tx, collection, entry, step: step!, at: step!.dueAt!, lifecycle: this });
    }
    if (!describe) return undefined;
    return {
      atMs: step!.dueAt!,
      provider: collection.split('.')[0]!,
      collection,
      resource: id,
      transition: step!.hook ?? 'set',
      ...(typeof step!.requestId === 'string' ? { requestId: step!.requestId } : {}),
    };
  }

  /**
   * Every pending step, in due order (never-due steps last), optionally of one resource (by id, in
   * any collection). A scan of the collections: a listing for a person or a test, not a hot path.
   */
  pending(resource?: string): PendingStep[] {
    const out: PendingStep[] = [];
    for (const def of this.store.collections()) {
      const entries = resource === undefined ? this.store.list(def.path) : [this.store.get(def.path, resource)].filter((e): e is Entry => e !== undefined);
      for (const entry of entries) out.push(...this.pendingOf(def, entry));
    }
    return out.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || a.collection.localeCompare(b.collection) || a.resource.localeCompare(b.resource) || a.step - b.step);
  }

  /** One entry's pending steps, in order (the first is its next), as pending() lists them. */
  pendingOf(def: CollectionDef, entry: Entry): PendingStep[] {
    const steps = this.pendingSteps(entry);
    if (!Array.isArray(steps) || steps.length === 0) return [];
    // What each `set` step changes from: the entry as the steps before it leave it.
    const seen = new Map<string, Json | null>();
    return steps.map((step, i) => {
      const item: PendingStep = {
        provider: def.path.split('.')[0]!,
        collection: def.path,
        resource: String(entry[def.idField]),
        step: i,
        steps: steps.length,
        transition: step.hook ?? 'set',
        due: step.dueAt === null ? null : new Date(step.dueAt).toISOString(),
        dueAt: step.dueAt,
      };
      if (step.set && Object.keys(step.set).length > 0) {
        item.from = {};
        item.to = {};
        for (const [path, value] of Object.entries(step.set)) {
          item.from[path] = seen.has(path) ? seen.get(path)! : (getDotted(entry, path) ?? null);
          item.to[path] = value;
          seen.set(path, value);
        }
      }
      return item;
    });
  }

  /**
   * Moves the clock to when the last pending step (of every resource, or of one) is due and
   * settles everything up to it; repeated while settling schedules more (a hook's follow-up step),
   * at most MAX_SETTLE_ROUNDS times. The clock never moves back; steps that never come due stay.
   */
  settle(resource?: string): SettleResult {
    const before = this.stepsApplied;
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      const due = this.pending(resource).filter((p) => p.dueAt !== null);
      if (due.length === 0) break;
      const applied = this.stepsApplied;
      const last = Math.max(...due.map((p) => p.dueAt!));
      if (last > this.clock.now()) this.clock.set(last); // the clock's listener settles what fell due
      this.settleDue();
      // No step applied and none dropped: nothing further will change by settling again.
      if (this.stepsApplied === applied && this.pending(resource).filter((p) => p.dueAt !== null).length === due.length) break;
    }
    return { settled: this.stepsApplied - before, never: this.pending(resource).filter((p) => p.dueAt === null).length };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private rebuild(): void {
    this.heap = [];
    for (const def of this.store.collections()) {
      for (const entry of this.store.list(def.path)) this.track(def.path, entry, false);
    }
    this.heapify();
    this.arm();
  }

  private track(collection: string, entry: Entry, sift = true): void {
    const first = this.pendingSteps(entry)[0];
    if (!first || first.dueAt === null) return;
    const def = this.store.collection(collection)!;
    const item = { at: first.dueAt, collection, id: String(entry[def.idField]) };
    this.heap.push(item);
    if (sift) this.siftUp(this.heap.length - 1);
  }

  /** One real timer, for the earliest due step; in manual mode time moves only through the clock. */
  private arm(): void {
    if (this.stopped) return;
    const next = this.heap[0]?.at;
    if (next === undefined || this.clock.mode === 'manual') {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt === next) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.min(Math.max(next - this.clock.now(), 0), 2 ** 31 - 1);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.settleDue();
      this.arm();
    }, delay);
    this.timer.unref();
  }

  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private pop(): Due | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.at < h[m]!.at) m = l;
      if (r < h.length && h[r]!.at < h[m]!.at) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}

/** Reads a dotted path inside an entry, through own properties only; undefined when it is not there. */
function getDotted(target: Record<string, any>, path: string): Json | undefined {
  let node: any = target;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node as Json;
}

/**
 * Sets a dotted path inside an entry, through own properties only. A path naming a prototype
 * ("__proto__.x", "constructor.prototype.x") throws before anything is set: the step is broken, and
 * settleDue drops it whole.
 */
export function setDotted(target: Record<string, any>, path: string, value: unknown): void {
  const parts = path.split('.');
  const bad = stepPathProblem(path);
  if (bad) throw new RangeError(`step path "${path}" ${bad}`);
  let node: any = target;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, part) || node[part] == null || typeof node[part] !== 'object') node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]!] = value;
}

/** Why a step's dotted `set` path cannot be used (an empty part, or a part naming a prototype); undefined if it can. */
export function stepPathProblem(path: string): string | undefined {
  for (const part of path.split('.')) {
    if (part === '') return 'has an empty part';
    if (FORBIDDEN_KEYS.has(part)) return `names "${part}", which is not allowed (it reaches a prototype)`;
  }
  return undefined;
}

/**
 * What is wrong with an entry's pending steps as seeded (each error names its JSON pointer): a due
 * time outside the clock's range, or a `set` path that could walk out of the entry.
 */
export function stepErrors(entry: unknown, where: string): Array<{ path: string; message: string }> {
  const steps = (entry as Entry | undefined)?.[EMULATOR_KEY]?.steps;
  if (!Array.isArray(steps)) return [];
  const errors: Array<{ path: string; message: string }> = [];
  steps.forEach((step, i) => {
    const at = `${where}/${EMULATOR_KEY}/steps/${i}`;
    if (typeof step !== 'object' || step === null) return;
    const due = (step as Step).dueAt;
    if (due !== null && due !== undefined && !isInstant(due)) {
      errors.push({ path: `${at}/dueAt`, message: `${at}/dueAt must be null (never) or a whole number of ms in the clock's range, ${CLOCK_RANGE_TEXT}` });
    }
    const set = (step as Step).set;
    if (set && typeof set === 'object') {
      for (const path of Object.keys(set)) {
        const bad = stepPathProblem(path);
        if (bad) errors.push({ path: `${at}/set`, message: `${at}/set: the path "${path}" ${bad}` });
      }
    }
  });
  return errors;
}
