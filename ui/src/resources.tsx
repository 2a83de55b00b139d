/**
 * Resources, per provider: provider-native id, status, and a countdown to the next transition
 * (from `next.dueAt` against the emulator's clock, not the wall clock). A row opens the detail: the
 * resource's public view (as the provider's describe call returns it) and its timeline: the
 * journal's entries that named it and the transition steps the clock completed for it
 * (GET /_emulator/transitions/completed), each with its changes, newest first. The list is paged
 * (GET /_emulator/resources' offset and limit, of one provider or all).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from './api.js';
import { Errors, Json } from './errors.js';
import { countdown, show, statusClass, timeOf } from './format.js';
import { useEmulatorNow, useModel } from './hooks.js';
import { loadResources, pageResources, RESOURCES_PAGE } from './model.js';
import type { CompletedTransition, JournalEntry, Resource } from './types.js';

export interface Selected {
  provider: string;
  id: string;
}

function Next({ resource, now }: { resource: Resource; now: number | undefined }) {
  const next = resource.next;
  if (!next) return <span class="muted">—</span>;
  const when = next.dueAt === null ? 'stuck' : now === undefined ? '' : countdown(next.dueAt - now);
  return (
    <span class="next" title={`${next.transition}: due ${next.due ?? 'never'}`}>
      <span class="countdown">{when}</span>
      {next.to ? (
        <span class="to">
          →{' '}
          {Object.entries(next.to)
            .map(([k, v]) => `${k} ${show(v)}`)
            .join(', ')}
        </span>
      ) : (
        <span class="to">{next.transition}</span>
      )}
    </span>
  );
}

export function ResourceList({ onSelect }: { onSelect: (s: Selected) => void }) {
  const m = useModel();
  const now = useEmulatorNow();
  const provider = m.resourcesProvider;
  const providers = [...new Set([...(m.operations?.providers.map((p) => p.name) ?? []), ...m.resources.map((r) => r.provider), ...(provider ? [provider] : [])])].sort();
  const shown = m.resources;
  const from = m.resourcesOffset;
  const to = from + m.resources.length;
  return (
    <section class="panel resources" aria-label="Resources">
      <header class="panel-head">
        <h2>Resources</h2>
        <label class="inline">
          Provider
          <select aria-label="Resources provider" value={provider} onChange={(e) => void pageResources(0, e.currentTarget.value)}>
            <option value="">all</option>
            {providers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <span class="muted count" data-testid="resources-range">
          {m.resourcesTotal > m.resources.length || from > 0 ? `${m.resources.length === 0 ? 0 : from + 1}–${to} of ${m.resourcesTotal}` : `${m.resources.length}`}
        </span>
        {m.resourcesTotal > RESOURCES_PAGE || from > 0 ? (
          <span class="pager">
            <button type="button" disabled={from === 0} onClick={() => void pageResources(from - RESOURCES_PAGE)}>
              ← Previous
            </button>
            <button type="button" disabled={to >= m.resourcesTotal} onClick={() => void pageResources(from + RESOURCES_PAGE)}>
              Next →
            </button>
          </span>
        ) : null}
      </header>
      {m.resourcesError ? <p class="errors">{m.resourcesError}</p> : null}
      <div class="scroll">
        <table class="grid">
          <thead>
            <tr>
              <th>provider</th>
              <th>kind</th>
              <th>id</th>
              <th>status</th>
              <th>next transition</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={`${r.provider}/${r.kind}/${r.id}`} data-resource={`${r.provider}/${r.id}`} class="clickable" onClick={() => onSelect({ provider: r.provider, id: r.id })}>
                <td>{r.provider}</td>
                <td class="kind">
                  {r.kind}
                  {r.region ? <span class="muted region">{r.region}</span> : null}
                </td>
                <td class="rid">
                  <button type="button" class="link" onClick={(e) => (e.stopPropagation(), onSelect({ provider: r.provider, id: r.id }))}>
                    {r.id}
                  </button>
                  {r.name && r.name !== r.id ? <div class="muted small">{r.name}</div> : null}
                </td>
                <td class={`status${show(r.status).length > 24 ? ' long' : ''}`}>{show(r.status)}</td>
                <td>
                  <Next resource={r} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && !m.resourcesError ? <p class="muted empty">No resources.</p> : null}
      </div>
    </section>
  );
}

export function ResourceDetail({ selected, onClose }: { selected: Selected; onClose: () => void }) {
  const m = useModel();
  const now = useEmulatorNow();
  const listed = m.resources.find((r) => r.provider === selected.provider && r.id === selected.id);
  const [fetched, setFetched] = useState<Resource | undefined>();
  const [error, setError] = useState<unknown>();
  const [timeline, setTimeline] = useState<JournalEntry[]>([]);
  const [completed, setCompleted] = useState<CompletedTransition[]>([]);
  const resource = listed ?? fetched;

  // Beyond the first page of the list (or gone): ask for it alone.
  useEffect(() => {
    if (listed) return;
    api<Resource>('GET', `/resources/${encodeURIComponent(selected.provider)}/${encodeURIComponent(selected.id)}`).then(
      (r) => (setFetched(r), setError(undefined)),
      (err) => setError(err instanceof ApiError && err.status === 404 ? new Error(`${selected.provider} has no resource ${selected.id} (any more)`) : err),
    );
  }, [selected.provider, selected.id, !listed, m.revision]);

  // Read again when a newer journal entry names it (not on every request the emulator serves).
  const lastNaming = m.journal.find((e) => e.resources?.includes(selected.id))?.id;
  useEffect(() => {
    api<{ requests: JournalEntry[] }>('GET', `/requests${query({ resourceId: selected.id, limit: 200 })}`).then(
      (r) => setTimeline(r.requests.slice().reverse()),
      () => {},
    );
  }, [selected.id, lastNaming]);

  // The steps the clock completed for it: read again when the stream reports a newer one of its own.
  const lastCompleted = m.completed.find((c) => c.provider === selected.provider && c.resource === selected.id)?.seq;
  useEffect(() => {
    api<{ completed: CompletedTransition[] }>('GET', `/transitions/completed${query({ provider: selected.provider, resource: selected.id, limit: 200 })}`).then(
      (r) => setCompleted(r.completed),
      () => {},
    );
  }, [selected.provider, selected.id, lastCompleted, m.completed.length === 0]);

  // One timeline, newest first; at the same instant a completed step comes after (above) the request.
  type Item = { kind: 'request'; at: number; entry: JournalEntry } | { kind: 'completed'; at: number; step: CompletedTransition };
  const items: Item[] = [
    ...timeline.map((entry): Item => ({ kind: 'request', at: Date.parse(entry.at), entry })),
    ...completed.map((step): Item => ({ kind: 'completed', at: step.atMs, step })),
  ];
  items.sort((a, b) => b.at - a.at || (a.kind === b.kind ? 0 : a.kind === 'completed' ? -1 : 1));

  return (
    <section class="panel detail" aria-label="Resource detail">
      <header class="panel-head">
        <button type="button" onClick={onClose}>
          ← Resources
        </button>
        <h2>
          {selected.provider} <code>{selected.id}</code>
        </h2>
        {resource ? (
          <span class="status-badge" data-testid="detail-status">
            {show(resource.status)}
          </span>
        ) : null}
        {resource?.next ? <Next resource={resource} now={now} /> : null}
        <button
          type="button"
          title="move the clock to when this resource's last pending step is due"
          disabled={!resource?.next}
          onClick={() => api('POST', '/clock', { settle: { resource: selected.id } }).then(() => loadResources(), setError)}
        >
          Settle this one
        </button>
      </header>
      <Errors error={error} />
      <div class="detail-body">
        <div>
          <h3>View {resource ? <span class="muted small">({resource.kind}, as the provider's describe call returns it)</span> : null}</h3>
          {resource ? <Json value={resource.view} label="Resource view" /> : null}
        </div>
        <div>
          <h3>Timeline</h3>
          {items.length === 0 ? <p class="muted">No request has named it and no transition of it has completed (since the journal was last cleared).</p> : null}
          <ol class="timeline">
            {items.map((item) =>
              item.kind === 'completed' ? (
                <CompletedItem key={`c${item.step.seq}`} step={item.step} />
              ) : (
                <RequestItem key={item.entry.id} e={item.entry} id={selected.id} />
              ),
            )}
          </ol>
        </div>
      </div>
    </section>
  );
}

/** A transition step the clock completed, in a resource's timeline. */
function CompletedItem({ step }: { step: CompletedTransition }) {
  return (
    <li class="completed" data-completed={step.seq}>
      <div>
        <time>{timeOf(step.at)}</time> <strong>{step.transition}</strong> <span class="badge clock-badge">completed by the clock</span>
      </div>
      {step.requestId ? <div class="muted small">scheduled by request <code>{step.requestId}</code></div> : null}
      {step.changes.length > 0 ? (
        <ul class="changes">
          {step.changes.map((c, i) => (
            <li key={i}>
              <code>{c.field}</code>: {show(c.from)} → {show(c.to)}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** A journal entry that named the resource, in its timeline. */
function RequestItem({ e, id }: { e: JournalEntry; id: string }) {
  const selected = { id };
  return (
              <li key={e.id} data-request={e.id}>
                <div>
                  <time>{timeOf(e.at)}</time> <strong>{e.operation ?? `${e.method} ${e.path}`}</strong>{' '}
                  <span class={`badge ${statusClass(e.status)}`}>{e.status}</span> {e.errorCode ? <code>{e.errorCode}</code> : null}
                </div>
                {e.reason ? <div class="reason">{e.reason}</div> : null}
                {(e.changes ?? []).filter((c) => c.id === selected.id).length > 0 ? (
                  <ul class="changes">
                    {(e.changes ?? [])
                      .filter((c) => c.id === selected.id)
                      .map((c, i) => (
                        <li key={i}>
                          <code>{c.field}</code>: {show(c.from)} → {show(c.to)}
                        </li>
                      ))}
                  </ul>
                ) : null}
              </li>
  );
}
