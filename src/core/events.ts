/**
 * The emulator's live events (GET /_emulator/events, server-sent): requests as the journal records
 * them, committed changes to resources, and changes of the clock, faults, settings, transition
 * durations and resets. Provider-neutral: publishers hand a thunk, which runs (and its value is
 * serialized, once for every subscriber) only when someone listens, so a request costs a size check
 * when no dashboard is open.
 */

/** What a subscriber gets: each frame as SSE text, and the end of the stream (server stop). */
export interface EventSubscriber {
  send(frame: string): void;
  end(): void;
}

/** Ids of one provider's changed resources in a state event, at most: past it the event says `all`. */
export const MAX_STATE_IDS = 1000;

export class EventBus {
  private readonly subscribers = new Set<EventSubscriber>();
  private nextId = 1;
  /** Events coalesced to one per turn of the event loop (the latest data wins), by name. */
  private readonly latest = new Map<string, () => unknown>();
  /** Changed resource ids by provider, sent as one state event per provider per turn. */
  private readonly changed = new Map<string, { ids: Set<string>; all: boolean }>();
  private flushing = false;
  /** The server is stopping: no new stream. */
  closed = false;
  /** Counters for tests: values serialized (none without subscribers), slow readers cut off. */
  readonly stats = { serialized: 0, slowReaders: 0 };

  get listening(): boolean {
    return this.subscribers.size > 0;
  }

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: EventSubscriber): () => void {
    if (this.closed) {
      subscriber.end();
      return () => {};
    }
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Sends an event now (the journal's requests: each one counts). */
  publish(event: string, data: () => unknown): void {
    if (this.subscribers.size === 0) return;
    this.emit(event, data());
  }

  /** Sends an event at the end of this turn, once however often it is published (a settle moves the clock many times). */
  publishLatest(event: string, data: () => unknown): void {
    if (this.subscribers.size === 0) return;
    this.latest.set(event, data);
    this.scheduleFlush();
  }

  /** Notes a committed change to a resource (or to all of a provider's: a replaced document), sent as one state event per provider. */
  resourceChanged(provider: string, id: string | undefined): void {
    if (this.subscribers.size === 0) return;
    let c = this.changed.get(provider);
    if (!c) this.changed.set(provider, (c = { ids: new Set(), all: false }));
    if (id === undefined || c.ids.size >= MAX_STATE_IDS) {
      c.all = true;
      c.ids.clear();
    } else if (!c.all) c.ids.add(id);
    this.scheduleFlush();
  }

  /** Ends every stream (the server is stopping: nothing may hold it open). */
  close(): void {
    this.closed = true;
    for (const s of [...this.subscribers]) s.end();
    this.subscribers.clear();
    this.latest.clear();
    this.changed.clear();
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const latest = [...this.latest];
      this.latest.clear();
      const changed = [...this.changed];
      this.changed.clear();
      if (this.subscribers.size === 0) return;
      for (const [event, data] of latest) this.emit(event, data());
      for (const [provider, c] of changed) this.emit('state', c.all ? { provider, ids: [], all: true } : { provider, ids: [...c.ids] });
    });
  }

  private emit(event: string, value: unknown): void {
    this.stats.serialized++;
    // JSON escapes line breaks, so the data is one line of the frame.
    const frame = `id: ${this.nextId++}\nevent: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
    for (const s of [...this.subscribers]) s.send(frame);
  }
}

/** What publishes to the bus: the engine's parts (structural, so this file imports none of them). */
export interface EventSources {
  store: { onCommit(listener: (changes: ReadonlyArray<{ collection: string; id: string }>, replaced: boolean) => void): unknown };
  clock: { onChange(listener: () => void): unknown; state(): unknown };
  faults: { onChange(listener: () => void): unknown };
  settings: { onChange(listener: () => void): unknown };
  durations: { onChange(listener: () => void): unknown };
  journal: { onAdd(listener: (entry: () => unknown) => void): unknown };
  /** The completed transitions' record (completed.ts): each entry is a `completed` event. */
  completed: { onAdd(listener: (item: () => unknown) => void): unknown };
  /** Each provider's resource collections (ProviderProtocol.resources): only their changes are state events, never a credential's. */
  protocols: ReadonlyMap<string, { resources?: ReadonlyArray<{ collection: string }> }>;
}

/**
 * Connects the bus to its publishers. Every listener returns at once when no one subscribes. Faults,
 * settings and durations events carry `{}` (the client reads the route again); a request event is
 * the journal entry as GET /_emulator/requests lists it, a completed event a transition step the
 * clock completed as GET /_emulator/transitions/completed lists it.
 */
export function connectEvents(bus: EventBus, src: EventSources): void {
  const providerOf = new Map<string, string>();
  for (const [name, protocol] of src.protocols) for (const type of protocol.resources ?? []) providerOf.set(type.collection, name);
  src.journal.onAdd((entry) => bus.publish('request', entry));
  src.completed.onAdd((item) => bus.publish('completed', item));
  src.store.onCommit((changes, replaced) => {
    if (!bus.listening) return;
    if (replaced) {
      for (const provider of new Set(providerOf.values())) bus.resourceChanged(provider, undefined);
      return;
    }
    for (const c of changes) {
      const provider = providerOf.get(c.collection);
      if (provider !== undefined) bus.resourceChanged(provider, c.id);
    }
  });
  src.clock.onChange(() => bus.publishLatest('clock', () => src.clock.state()));
  src.faults.onChange(() => bus.publishLatest('faults', () => ({})));
  src.settings.onChange(() => bus.publishLatest('settings', () => ({})));
  src.durations.onChange(() => bus.publishLatest('transitions', () => ({})));
}
