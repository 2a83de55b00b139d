/** Transition durations (PUT /_emulator/transitions) and provider settings (PATCH /_emulator/settings), edited in place. */
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { Errors } from './errors.js';
import { duration } from './format.js';
import { useModel } from './hooks.js';
import { loadConfig, loadResources, update } from './model.js';
import type { Durations, Settings } from './types.js';

function DurationRow({ name, value }: { name: string; value: number | null }) {
  const [text, setText] = useState(duration(value));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    const t = text.trim();
    try {
      // As the --transition flag takes it: whole ms, or "2s", "1m", "never".
      const durations = await api<Durations>('PUT', '/transitions', { [name]: /^\d+$/.test(t) ? Number(t) : t });
      update({ durations });
      setText(duration(durations[name] ?? null));
      setSaved(true);
      void loadResources();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <tr data-transition={name}>
      <td>
        <code>{name}</code>
      </td>
      <td>{value === null ? 'never' : `${value} ms`}</td>
      <td>
        <form class="inline-form" onSubmit={save}>
          <input aria-label={`Duration of ${name}`} value={text} onInput={(e) => (setText(e.currentTarget.value), setSaved(false))} size={10} />
          <button type="submit">Save</button>
          {saved ? <span class="ok">saved</span> : null}
        </form>
        <Errors error={error} />
      </td>
    </tr>
  );
}

function SettingRow({ name, value }: { name: string; value: boolean | number | string }) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async (next: boolean | number | string) => {
    setError(undefined);
    setSaved(false);
    try {
      const settings = await api<Settings>('PATCH', '/settings', { [name]: next });
      update({ settings });
      setText(String(settings[name]));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <tr data-setting={name}>
      <td>
        <code>{name}</code>
      </td>
      <td>
        {typeof value === 'boolean' ? (
          <label class="inline">
            <input type="checkbox" aria-label={`Setting ${name}`} checked={value} onChange={(e) => save(e.currentTarget.checked)} /> {value ? 'on' : 'off'}
          </label>
        ) : (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              // A number setting takes a number; a text that is not one goes as it is, for the emulator to refuse in its words.
              const t = text.trim();
              void save(typeof value === 'number' && t !== '' && Number.isFinite(Number(t)) ? Number(t) : text);
            }}
          >
            <input aria-label={`Setting ${name}`} value={text} onInput={(e) => (setText(e.currentTarget.value), setSaved(false))} size={typeof value === 'number' ? 12 : 24} />
            <button type="submit">Save</button>
          </form>
        )}
        {saved ? <span class="ok">saved</span> : null}
        <Errors error={error} />
      </td>
    </tr>
  );
}

export function Config() {
  const m = useModel();
  return (
    <div class="config">
      {m.configError ? (
        <p class="errors">
          {m.configError} <button onClick={() => loadConfig()}>Retry</button>
        </p>
      ) : null}
      <section class="panel" aria-label="Transitions">
        <header class="panel-head">
          <h2>Transition durations</h2>
          <span class="muted small">ms, or as the flag takes them (2s, 1m, never); a change applies to transitions begun after it</span>
        </header>
        <table class="grid">
          <tbody>
            {Object.entries(m.durations ?? {}).map(([name, value]) => (
              <DurationRow key={`${name}=${value}`} name={name} value={value} />
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel" aria-label="Settings">
        <header class="panel-head">
          <h2>Provider settings</h2>
        </header>
        <table class="grid">
          <tbody>
            {Object.entries(m.settings ?? {}).map(([name, value]) => (
              <SettingRow key={`${name}=${String(value)}`} name={name} value={value} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
