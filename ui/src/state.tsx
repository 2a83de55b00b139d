/** Reset (after a confirm step) and seed from a pasted JSON document, its validation errors shown in place. */
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { Errors } from './errors.js';
import { loadAll, update } from './model.js';

function Reset() {
  const [confirming, setConfirming] = useState(false);
  const [empty, setEmpty] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');
  const reset = async () => {
    setError(undefined);
    try {
      await api('POST', '/reset', empty ? { empty: true } : {});
      setConfirming(false);
      setDone(empty ? 'Reset to an empty state.' : 'Reset to the fixtures.');
      update({ journal: [] });
      await loadAll();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="panel card" aria-label="Reset">
      <h2>Reset</h2>
      <p>
        Back to the fixtures the emulator started with (or an empty state), and the clock, transition durations, settings, fault rules and
        journal as configured.
      </p>
      {confirming ? (
        <div class="confirm" role="group" aria-label="Confirm reset">
          <label class="inline">
            <input type="checkbox" checked={empty} onChange={(e) => setEmpty(e.currentTarget.checked)} /> empty state instead of the fixtures
          </label>
          <button type="button" class="danger" onClick={reset}>
            Yes, reset
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => (setConfirming(true), setDone(''))}>
          Reset…
        </button>
      )}
      {done ? (
        <p class="ok" role="status">
          {done}
        </p>
      ) : null}
      <Errors error={error} />
    </section>
  );
}

function Seed() {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');
  const seed = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setDone('');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return setError(new Error(`not JSON: ${(err as Error).message}`));
    }
    try {
      const answer = await api<{ entries: number }>('POST', '/seed', doc);
      setDone(`Seeded ${answer.entries} ${answer.entries === 1 ? 'entry' : 'entries'}.`);
      await loadAll();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel card seed" aria-label="Seed" onSubmit={seed}>
      <h2>Seed</h2>
      <p>
        A partial state document (<code>{'{ "huawei": { "koophone": { "instances": [...] } } }'}</code>), merged by id: an entry with an existing id
        replaces it.
      </p>
      <textarea aria-label="Seed document" rows={12} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <div class="actions">
        <button type="submit" class="primary" disabled={text.trim() === ''}>
          Seed
        </button>
      </div>
      {done ? (
        <p class="ok" role="status">
          {done}
        </p>
      ) : null}
      <Errors error={error} />
    </form>
  );
}

export function StatePanel() {
  return (
    <div class="state-panels">
      <Reset />
      <Seed />
    </div>
  );
}
