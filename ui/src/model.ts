/**
 * What the page knows of the emulator, in one place: the views render it, the event stream and the
 * page's own actions update it. Every re-read is coalesced (one in flight, at most one more queued),
 * so a burst of events costs a couple of requests, not one each.
 */
import { api, ApiError, query } from './api.js';
import type { StreamEvent, StreamStatus } from './events.js';
import type { ClockState, CompletedTransition, Durations, FaultRule, JournalEntry, Operations, Resource, ResourcesPage, Settings } from './types.js';

/** Journal entries the page keeps (newest first) until "Load older" asks for more; older ones are dropped as new ones arrive. */
export const JOURNAL_KEPT = 500;
/** Journal entries read at a time: the first read, and each "Load older". */
export const JOURNAL_PAGE = 200;
/** Most journal entries one read asks for (GET /_emulator/requests?limit= takes up to the largest --journal-size). */
export const JOURNAL_MOST = 100_000;
/** Resources asked for in one page of GET /_emulator/resources. */
export const RESOURCES_PAGE = 500;
/** Completed transitions the page keeps from the event stream (a resource's timeline reads its own from the route). */
export const COMPLETED_KEPT = 200;

export interface Model {
  clock?: ClockState;
  /** performance.now() when `clock` was read: a system clock moves on from there. */
  clockReadAt: number;
  resources: Resource[];
  resourcesTotal: number;
  /** The page shown: where it starts, and the provider it is limited to ('' = all). */
  resourcesOffset: number;
  resourcesProvider: string;
  resourcesError?: string;
  journal: JournalEntry[];
  /** How many the page keeps (JOURNAL_KEPT, raised by "Load older"), and whether older ones may be left to load. */
  journalKept: number;
  journalMore: boolean;
  journalError?: string;
  /** The latest completed transitions the stream reported, newest first (a timeline re-reads when its resource's changes). */
  completed: CompletedTransition[];
  faults: FaultRule[];
  faultsError?: string;
  operations?: Operations;
  operationsError?: string;
  durations?: Durations;
  settings?: Settings;
  configError?: string;
  stream: StreamStatus;
  streamDetail?: string;
  /** Bumped by every committed change the stream reports (a resource's timeline re-reads on it). */
  revision: number;
}

export const model: Model = {
  clockReadAt: 0,
  resources: [],
  resourcesTotal: 0,
  resourcesOffset: 0,
  resourcesProvider: '',
  journal: [],
  journalKept: JOURNAL_KEPT,
  journalMore: false,
  completed: [],
  faults: [],
  stream: 'connecting',
  revision: 0,
};

const listeners = new Set<() => void>();
export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function update(change: Partial<Model>): void {
  Object.assign(model, change);
  for (const l of listeners) l();
}

const message = (err: unknown) => (err instanceof ApiError ? err.message : String(err));

/** fn, never twice at once; a call while it runs queues one more run after it. */
function coalesced(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const go = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = fn()
      .catch(() => {})
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void go();
        }
      });
    return running;
  };
  return go;
}

/** The emulator's clock now, in ms: a manual clock stands still; a system one moves with the wall clock. */
export function emulatorNow(at: number = performance.now()): number | undefined {
  const c = model.clock;
  if (!c) return undefined;
  const read = Date.parse(c.now);
  return c.mode === 'manual' ? read : read + (at - model.clockReadAt);
}

export function setClock(clock: ClockState): void {
  update({ clock: { now: clock.now, mode: clock.mode }, clockReadAt: performance.now() });
}

export const loadClock = coalesced(async () => setClock(await api<ClockState>('GET', '/clock')));

export const loadResources = coalesced(async () => {
  try {
    const page = await api<ResourcesPage>('GET', `/resources${query({ provider: model.resourcesProvider, limit: RESOURCES_PAGE, offset: model.resourcesOffset })}`);
    // Resources went away and the page is past the end: back to the last page there is.
    if (page.resources.length === 0 && page.total > 0 && model.resourcesOffset > 0) {
      update({ resourcesOffset: Math.floor((page.total - 1) / RESOURCES_PAGE) * RESOURCES_PAGE });
      return loadResources();
    }
    update({ resources: page.resources, resourcesTotal: page.total, resourcesError: undefined });
  } catch (err) {
    update({ resourcesError: message(err) });
  }
});

function addEntries(entries: JournalEntry[]): void {
  const seen = new Set(model.journal.map((e) => e.id));
  const fresh = entries.filter((e) => !seen.has(e.id));
  if (fresh.length === 0) return;
  const all = [...fresh.reverse(), ...model.journal];
  update({ journal: all.slice(0, model.journalKept), journalMore: model.journalMore || all.length > model.journalKept });
}

/** Another page of resources: from `offset`, of `provider` ('' = all). */
export function pageResources(offset: number, provider = model.resourcesProvider): Promise<void> {
  update({ resourcesOffset: Math.max(0, offset), resourcesProvider: provider });
  return loadResources();
}

export const loadJournal = coalesced(async () => {
  try {
    const { requests } = await api<{ requests: JournalEntry[] }>('GET', `/requests${query({ limit: JOURNAL_PAGE })}`);
    if (requests.length === JOURNAL_PAGE && model.journal.length === 0) update({ journalMore: true });
    addEntries(requests);
    update({ journalError: undefined });
  } catch (err) {
    update({ journalError: message(err) });
  }
});

/** The next JOURNAL_PAGE older entries: the journal route's last-N `limit`, asked for as many more as are shown. */
export const loadOlderJournal = coalesced(async () => {
  try {
    const limit = Math.min(JOURNAL_MOST, model.journal.length + JOURNAL_PAGE);
    const { requests } = await api<{ requests: JournalEntry[] }>('GET', `/requests${query({ limit })}`);
    const kept = Math.max(model.journalKept, limit);
    // Entries that arrived while the read was under way are newer than all it answered: they stay on top.
    const read = new Set(requests.map((e) => e.id));
    const newest = requests.length > 0 ? model.journal.findIndex((e) => read.has(e.id)) : -1;
    const arrived = newest > 0 ? model.journal.slice(0, newest) : [];
    update({ journal: [...arrived, ...requests.slice().reverse()].slice(0, kept), journalKept: kept, journalMore: requests.length === limit && limit < JOURNAL_MOST, journalError: undefined });
  } catch (err) {
    update({ journalError: message(err) });
  }
});

export const loadFaults = coalesced(async () => {
  try {
    update({ faults: (await api<{ faults: FaultRule[] }>('GET', '/faults')).faults, faultsError: undefined });
  } catch (err) {
    update({ faultsError: message(err) });
  }
});

export const loadOperations = coalesced(async () => {
  try {
    update({ operations: await api<Operations>('GET', '/operations'), operationsError: undefined });
  } catch (err) {
    update({ operationsError: message(err) });
  }
});

export const loadConfig = coalesced(async () => {
  try {
    const [durations, settings] = await Promise.all([api<Durations>('GET', '/transitions'), api<Settings>('GET', '/settings')]);
    update({ durations, settings, configError: undefined });
  } catch (err) {
    update({ configError: message(err) });
  }
});

export function loadAll(): Promise<unknown> {
  return Promise.all([loadClock().catch(() => {}), loadResources(), loadJournal(), loadFaults(), loadOperations(), loadConfig()]);
}

/** What each event of the stream means for the page. */
export function onStreamEvent(e: StreamEvent): void {
  switch (e.event) {
    case 'open': // (re)connected: what happened while it was down is re-read
      void loadAll();
      break;
    case 'request': {
      addEntries([e.data as JournalEntry]);
      update({ revision: model.revision + 1 });
      break;
    }
    case 'completed':
      update({ completed: [e.data as CompletedTransition, ...model.completed].slice(0, COMPLETED_KEPT) });
      break;
    case 'state':
      update({ revision: model.revision + 1 });
      void loadResources();
      break;
    case 'clock':
      if (e.data && typeof e.data === 'object' && 'now' in e.data) setClock(e.data as ClockState);
      else void loadClock();
      break;
    case 'faults': // also when a rule fires (its count changed)
      void loadFaults();
      break;
    case 'settings':
    case 'transitions':
      void loadConfig();
      void loadResources();
      break;
    case 'reset':
      update({ journal: [], journalKept: JOURNAL_KEPT, journalMore: false, completed: [], revision: model.revision + 1 });
      void loadAll();
      break;
  }
}

export function setStream(stream: StreamStatus, streamDetail?: string): void {
  update({ stream, streamDetail });
}
