/**
 * The dashboard: one page, served by the emulator at /_emulator/ui, that shows the sandbox live and
 * drives it through the control plane. With a control token set, it asks for the token first.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, onUnauthorized, setToken, token } from './api.js';
import { ClockPanel } from './clock.js';
import { Config } from './config.js';
import { Errors } from './errors.js';
import { connectEvents } from './events.js';
import { Faults } from './faults.js';
import { useModel } from './hooks.js';
import { Journal } from './journal.js';
import { loadAll, onStreamEvent, setClock, setStream } from './model.js';
import { ResourceDetail, ResourceList, type Selected } from './resources.js';
import { StatePanel } from './state.js';
import type { ClockState } from './types.js';

type Phase = 'loading' | 'token' | 'ready' | 'down';
const TABS = [
  ['live', 'Resources & journal'],
  ['faults', 'Faults'],
  ['config', 'Transitions & settings'],
  ['state', 'Reset & seed'],
] as const;
type Tab = (typeof TABS)[number][0];

function TokenForm({ onDone, refused }: { onDone: () => void; refused: boolean }) {
  const [value, setValue] = useState('');
  return (
    <main class="token-page">
      <form
        class="card token-form"
        aria-label="Control token"
        onSubmit={(e) => {
          e.preventDefault();
          setToken(value.trim());
          onDone();
        }}
      >
        <h1>cloud-api-emulator</h1>
        <p>This emulator's control plane needs its token (the <code>--control-token</code> it was started with).</p>
        <label>
          Control token
          <input type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} autofocus />
        </label>
        {refused ? (
          <p class="errors" role="alert">
            That token was refused.
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={value.trim() === ''}>
            Open the dashboard
          </button>
        </div>
        <p class="muted small">Kept in this tab only (sessionStorage).</p>
      </form>
    </main>
  );
}

function App() {
  const [phase, setPhase] = useState<Phase>('loading');
  const [refused, setRefused] = useState(false);
  const [error, setError] = useState<unknown>();
  const [tab, setTab] = useState<Tab>('live');
  const [selected, setSelected] = useState<Selected | undefined>();
  const [attempt, setAttempt] = useState(0);
  useModel();

  // Nothing is shown before the control plane has answered: with a token set, a 401 asks for it first.
  useEffect(() => {
    onUnauthorized(() => setPhase('token'));
    api<ClockState>('GET', '/clock').then(
      (clock) => {
        setClock(clock);
        setPhase('ready');
      },
      (err) => {
        if (err instanceof ApiError && err.status === 401) {
          setRefused(token() !== null);
          setPhase('token');
        } else {
          setError(err);
          setPhase('down');
        }
      },
    );
  }, [attempt]);

  useEffect(() => {
    if (phase !== 'ready') return;
    void loadAll();
    return connectEvents(onStreamEvent, (status, detail) => {
      setStream(status, detail);
      if (status === 'unauthorized') setPhase('token');
    });
  }, [phase]);

  if (phase === 'loading') return <p class="muted loading">Loading…</p>;
  if (phase === 'token') return <TokenForm refused={refused} onDone={() => (setPhase('loading'), setAttempt(attempt + 1))} />;
  if (phase === 'down')
    return (
      <main class="token-page">
        <div class="card">
          <h1>cloud-api-emulator</h1>
          <Errors error={error} />
          <button onClick={() => (setPhase('loading'), setAttempt(attempt + 1))}>Retry</button>
        </div>
      </main>
    );

  return (
    <>
      <header class="top">
        <div class="brand">
          <strong>cloud-api-emulator</strong>
          <span class="muted small">dashboard</span>
        </div>
        <ClockPanel />
        {token() !== null ? (
          <button type="button" class="link small" onClick={() => (setToken(null), setRefused(false), setPhase('token'))}>
            Forget token
          </button>
        ) : null}
      </header>
      <nav class="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} class={tab === id ? 'active' : ''} onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </nav>
      <main class={`view view-${tab}`}>
        {tab === 'live' ? (
          <div class="live">
            {selected ? <ResourceDetail selected={selected} onClose={() => setSelected(undefined)} /> : <ResourceList onSelect={setSelected} />}
            <Journal />
          </div>
        ) : tab === 'faults' ? (
          <Faults />
        ) : tab === 'config' ? (
          <Config />
        ) : (
          <StatePanel />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
