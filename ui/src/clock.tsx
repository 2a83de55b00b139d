/**
 * The clock panel: the emulator's time and mode, freeze (manual) or run (system), advance by a
 * chosen step, settle every pending transition. Every action goes through POST /_emulator/clock.
 */
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { Errors } from './errors.js';
import { useEmulatorNow, useModel } from './hooks.js';
import { loadResources, setClock } from './model.js';
import type { ClockState } from './types.js';

const STEPS: Array<[number, string]> = [
  [100, '100 ms'],
  [1000, '1 s'],
  [2000, '2 s'],
  [5000, '5 s'],
  [10_000, '10 s'],
  [30_000, '30 s'],
  [60_000, '1 min'],
  [300_000, '5 min'],
  [900_000, '15 min'],
  [3_600_000, '1 h'],
  [86_400_000, '1 day'],
];

export function ClockPanel() {
  const m = useModel();
  const now = useEmulatorNow();
  const [step, setStep] = useState(1000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');

  const act = async (body: Record<string, unknown>, describe?: (answer: ClockState & { settled?: number; never?: number }) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<ClockState & { settled?: number; never?: number }>('POST', '/clock', body);
      setClock(answer);
      setNote(describe ? describe(answer) : '');
      void loadResources();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const mode = m.clock?.mode;
  return (
    <section class="clock" aria-label="Clock">
      <div class="clock-now">
        <span class="label">emulator clock</span>
        <time class="now" data-testid="clock-now">
          {now === undefined ? '…' : new Date(now).toISOString()}
        </time>
        <span class={`mode mode-${mode ?? 'unknown'}`} data-testid="clock-mode">
          {mode ?? '…'}
        </span>
      </div>
      <div class="clock-actions">
        {mode === 'manual' ? (
          <button type="button" disabled={busy} onClick={() => act({ mode: 'system' })} title="the clock runs with real time again">
            Run (system)
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => act({ mode: 'manual' })} title="stop the clock: it moves only when advanced">
            Freeze (manual)
          </button>
        )}
        <label class="inline">
          Step
          <select aria-label="Advance step" value={String(step)} onChange={(e) => setStep(Number(e.currentTarget.value))}>
            {STEPS.map(([ms, text]) => (
              <option key={ms} value={String(ms)}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => act({ advanceMs: step })}>
          Advance
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => act({ settle: true }, (a) => `settled ${a.settled ?? 0} step${a.settled === 1 ? '' : 's'}${a.never ? `, ${a.never} never due` : ''}`)}
          title="move the clock to when the last pending step is due and apply every step"
        >
          Settle all
        </button>
        {note ? <span class="note">{note}</span> : null}
      </div>
      <Errors error={error} />
    </section>
  );
}
