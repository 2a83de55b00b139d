/**
 * The live request journal, newest first: filters by provider, operation and status; an entry
 * expands to its params, reason and changes. Requests for operations the emulator does not emulate
 * (unmatched) stand out. The first read takes the newest JOURNAL_PAGE; "Load older" asks for as many
 * more (the route's last-N `limit`), as far as the journal keeps.
 */
import { useState } from 'preact/hooks';
import { Errors, Json } from './errors.js';
import { show, statusClass, timeOf } from './format.js';
import { useModel } from './hooks.js';
import { loadOlderJournal } from './model.js';
import type { JournalEntry } from './types.js';

const STATUS_FILTERS: Array<[string, string, (s: number | undefined) => boolean]> = [
  ['', 'any status', () => true],
  ['2xx', '2xx success', (s) => s !== undefined && s >= 200 && s < 300],
  ['4xx', '4xx client error', (s) => s !== undefined && s >= 400 && s < 500],
  ['5xx', '5xx server error', (s) => s !== undefined && s >= 500 && s < 600],
  ['err', 'any error (4xx, 5xx, lost)', (s) => s === 0 || (s !== undefined && s >= 400)],
  ['0', 'lost on the wire (0)', (s) => s === 0],
];

function Entry({ entry }: { entry: JournalEntry }) {
  const [open, setOpen] = useState(false);
  return (
    <li class={`entry${entry.unmatched ? ' unmatched' : ''}${open ? ' open' : ''}`} data-entry={entry.id} data-operation={entry.operation ?? ''}>
      <button type="button" class="entry-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <time>{timeOf(entry.at)}</time>
        <span class="provider">{entry.provider ?? '?'}</span>
        <span class="operation">{entry.operation ?? `${entry.method} ${entry.path}`}</span>
        {entry.unmatched ? <span class="badge unmatched-badge">not emulated</span> : null}
        <span class={`badge status ${statusClass(entry.status)}`}>{entry.status ?? '—'}</span>
        {entry.errorCode ? <code class="code">{entry.errorCode}</code> : null}
        <span class="muted small ms">{entry.durationMs === undefined ? '' : `${entry.durationMs.toFixed(1)} ms`}</span>
      </button>
      {open ? (
        <div class="entry-body">
          <div class="kv">
            <span>request</span>
            <code>
              {entry.method} {entry.path}
            </code>
            {entry.clientRequestId ? (
              <>
                <span>client request id</span>
                <code>{entry.clientRequestId}</code>
              </>
            ) : null}
            {entry.resources?.length ? (
              <>
                <span>resources</span>
                <code>{entry.resources.join(', ')}</code>
              </>
            ) : null}
            {entry.reason ? (
              <>
                <span>reason</span>
                <span class="reason">{entry.reason}</span>
              </>
            ) : null}
          </div>
          {entry.changes?.length ? (
            <table class="grid changes-table">
              <thead>
                <tr>
                  <th>collection</th>
                  <th>id</th>
                  <th>field</th>
                  <th>from</th>
                  <th>to</th>
                </tr>
              </thead>
              <tbody>
                {entry.changes.map((c, i) => (
                  <tr key={i}>
                    <td>{c.collection}</td>
                    <td>{c.id}</td>
                    <td>
                      <code>{c.field}</code>
                    </td>
                    <td>{show(c.from)}</td>
                    <td>{show(c.to)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted small">No changes.</p>
          )}
          {entry.params !== undefined ? <Json value={entry.params} label="Params" /> : null}
        </div>
      ) : null}
    </li>
  );
}

export function Journal() {
  const m = useModel();
  const [provider, setProvider] = useState('');
  const [operation, setOperation] = useState('');
  const [status, setStatus] = useState('');
  const providers = [...new Set([...(m.operations?.providers.map((p) => p.name) ?? []), ...m.journal.map((e) => e.provider ?? '')])].filter(Boolean).sort();
  const served = (m.operations?.providers ?? []).filter((p) => !provider || p.name === provider).flatMap((p) => p.operations.map((o) => o.name));
  const seen = m.journal.filter((e) => !provider || e.provider === provider).map((e) => e.operation ?? '');
  const operations = [...new Set([...served, ...seen])].filter(Boolean).sort();
  const statusTest = (STATUS_FILTERS.find(([v]) => v === status) ?? STATUS_FILTERS[0]!)[2];
  const shown = m.journal.filter((e) => (!provider || e.provider === provider) && (!operation || e.operation === operation) && statusTest(e.status));
  return (
    <section class="panel journal" aria-label="Journal">
      <header class="panel-head">
        <h2>Journal</h2>
        <span class={`stream stream-${m.stream}`} data-testid="stream" title={m.streamDetail ?? ''}>
          {m.stream === 'live' ? 'live' : m.stream === 'connecting' ? 'connecting…' : m.stream === 'unauthorized' ? 'needs the token' : 'reconnecting…'}
        </span>
        <span class="muted count">
          {shown.length} of {m.journal.length}
        </span>
      </header>
      <div class="filters">
        <select aria-label="Journal provider" value={provider} onChange={(e) => (setProvider(e.currentTarget.value), setOperation(''))}>
          <option value="">any provider</option>
          {providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select aria-label="Journal operation" value={operation} onChange={(e) => setOperation(e.currentTarget.value)}>
          <option value="">any operation</option>
          {operations.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <select aria-label="Journal status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          {STATUS_FILTERS.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {m.journalError ? <Errors error={new Error(m.journalError)} /> : null}
      <ol class="entries scroll">
        {shown.map((e) => (
          <Entry key={e.id} entry={e} />
        ))}
      </ol>
      {shown.length === 0 ? <p class="muted empty">No requests{m.journal.length > 0 ? ' match' : ' yet'}.</p> : null}
      {m.journalMore ? (
        <button type="button" class="more" onClick={() => void loadOlderJournal()}>
          Load older
        </button>
      ) : null}
    </section>
  );
}
