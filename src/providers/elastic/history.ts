/**
 * Plan history, kept apart from the deployment entry: one small entry per finished attempt in the
 * `elastic.planHistory` collection. A restart then writes the attempt it retires (~2 KB) and the
 * deployment it changes, never the resource's whole history: the cost of a write follows what it
 * changes, however long the history grows.
 *
 * Entries sit in fixed slots, so keeping a bounded history never removes anything (a removal walks
 * the whole collection): with `keep` attempts kept (elastic.planHistoryLimit), the first
 * `min(10, keep - 90)` attempts keep a slot each (`f<n>`), and the newest ones take turns in a
 * ring of the rest (`r<n mod ring>`), overwriting the oldest. The default (100) keeps exactly what
 * `show_plan_history` shows (the first 10 and the last 90); -1 keeps every attempt (`a<n>`).
 *
 * History a seed gives inline (`info.plan_info.history`) stays where it was seeded and comes first.
 */
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import type { EntryWriter, Path } from '../../core/recording.js';
import type { ReadView, Tx } from '../../core/store.js';

export const PLAN_HISTORY = 'elastic.planHistory';

/** What show_plan_history shows by default (the spec): the first 10 attempts and the last 90. */
export const SHOWN_FIRST = 10;
export const SHOWN_LAST = 90;

/** Where a resource's history entries are: how many were ever added, and the slots they use. */
interface Layout {
  count: number;
  /** Attempts kept (-1 = all), as the layout was made for. */
  keep: number;
}

function firstSlots(keep: number): number {
  return keep < 0 ? 0 : Math.min(SHOWN_FIRST, Math.max(0, keep - SHOWN_LAST));
}

function slotOf(n: number, keep: number): string {
  if (keep < 0) return `a${n}`;
  const first = firstSlots(keep);
  return n < first ? `f${n}` : `r${(n - first) % (keep - first)}`;
}

/** The indexes a layout still holds, oldest first. */
function keptIndexes(count: number, keep: number): number[] {
  if (keep < 0) return Array.from({ length: count }, (_, i) => i);
  const first = Math.min(firstSlots(keep), count);
  const from = Math.max(first, count - (keep - firstSlots(keep)));
  const out: number[] = [];
  for (let i = 0; i < first; i++) out.push(i);
  for (let i = from; i < count; i++) out.push(i);
  return out;
}

/** The deployment id has no "/" (32 hex) nor does the kind or slot, so ref_id last keeps ids apart. */
export const historyId = (deploymentId: string, kind: string, slot: string, refId: string): string => `${deploymentId}/${kind}/${slot}/${refId}`;

function layoutOf(resource: Entry): Layout | undefined {
  return resource[EMULATOR_KEY]?.planHistory;
}

export interface HistoryOwner {
  deploymentId: string;
  kind: string;
  resource: Entry;
}

/** Every attempt the resource's history holds, oldest first: the seeded inline ones, then the kept entries. */
export function historyOf(view: ReadView, o: HistoryOwner): Entry[] {
  const inline: Entry[] = Array.isArray(o.resource.info?.plan_info?.history) ? o.resource.info.plan_info.history : [];
  const layout = layoutOf(o.resource);
  if (!layout || layout.count === 0) return inline;
  const out = [...inline];
  for (const n of keptIndexes(layout.count, layout.keep)) {
    const e = view.get(PLAN_HISTORY, historyId(o.deploymentId, o.kind, slotOf(n, layout.keep), o.resource.ref_id));
    if (e && e.index === n) out.push(e.attempt);
  }
  return out;
}

/**
 * What show_plan_history shows: at most the first 10 and the last 90 attempts (the spec), or all
 * that are kept with force_all_plan_history.
 */
export function shownHistory(all: Entry[], force: boolean): Entry[] {
  if (force || all.length <= SHOWN_FIRST + SHOWN_LAST) return all;
  return [...all.slice(0, SHOWN_FIRST), ...all.slice(all.length - SHOWN_LAST)];
}

/** The newest attempt first, lazily: finding the plan a stopped resource starts from reads only what it must. */
export function* newestFirst(view: ReadView, o: HistoryOwner): Generator<Entry> {
  const layout = layoutOf(o.resource);
  if (layout && layout.count > 0) {
    const kept = keptIndexes(layout.count, layout.keep);
    for (let i = kept.length - 1; i >= 0; i--) {
      const n = kept[i]!;
      const e = view.get(PLAN_HISTORY, historyId(o.deploymentId, o.kind, slotOf(n, layout.keep), o.resource.ref_id));
      if (e && e.index === n) yield e.attempt;
    }
  }
  const inline: Entry[] = Array.isArray(o.resource.info?.plan_info?.history) ? o.resource.info.plan_info.history : [];
  for (let i = inline.length - 1; i >= 0; i--) yield inline[i]!;
}

/**
 * Appends a finished attempt: one entry put into its slot (overwriting the oldest of the ring once
 * it is full). `keep` is elastic.planHistoryLimit (-1 = all, else at least 1); when it differs from
 * the one the resource's entries were laid out for, they move to the new layout first (once).
 */
export function appendHistory(tx: Tx, o: HistoryOwner & { w: EntryWriter; path: Path }, attempt: Entry, keep: number): void {
  // The layout is the resource's emulator data, written through the deployment's writer at `path`.
  const at = [...o.path, EMULATOR_KEY, 'planHistory'];
  if (!o.resource[EMULATOR_KEY]) o.w.set([...o.path, EMULATOR_KEY], {});
  if (!o.resource[EMULATOR_KEY].planHistory) o.w.set(at, { count: 0, keep });
  const layout: Layout = o.resource[EMULATOR_KEY].planHistory;
  if (layout.keep !== keep) {
    relayout(tx, o, layout, keep);
    o.w.set([...at, 'keep'], keep);
  }
  const n = layout.count;
  tx.put(PLAN_HISTORY, { id: historyId(o.deploymentId, o.kind, slotOf(n, keep), o.resource.ref_id), deployment_id: o.deploymentId, kind: o.kind, ref_id: o.resource.ref_id, index: n, attempt });
  o.w.set([...at, 'count'], n + 1);
}

/** Moves the kept entries to the slots of a new `keep`, dropping those it no longer keeps (the caller records the new `keep`). */
function relayout(tx: Tx, o: HistoryOwner, layout: Layout, keep: number): void {
  const id = (n: number, k: number) => historyId(o.deploymentId, o.kind, slotOf(n, k), o.resource.ref_id);
  const old = new Map<number, Entry>();
  for (const n of keptIndexes(layout.count, layout.keep)) {
    const e = tx.get(PLAN_HISTORY, id(n, layout.keep));
    if (e && e.index === n) old.set(n, e);
  }
  const stays = new Set(keptIndexes(layout.count, keep).filter((n) => old.has(n)));
  const newIds = new Set([...stays].map((n) => id(n, keep)));
  for (const n of old.keys()) if (!newIds.has(id(n, layout.keep))) tx.remove(PLAN_HISTORY, id(n, layout.keep));
  for (const n of stays) tx.put(PLAN_HISTORY, { ...old.get(n)!, id: id(n, keep) });
}
