/**
 * Fault rules: the list with how often each fired, a form to add one (provider → operation → kind,
 * filled from GET /_emulator/operations: the names the emulator serves), and removal.
 */
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { Errors } from './errors.js';
import { useModel } from './hooks.js';
import { loadFaults } from './model.js';
import type { FaultRule } from './types.js';

const KIND_LABELS: Record<string, string> = {
  error: 'error (a status and code)',
  latency: 'latency (a slow answer)',
  throttle: 'throttle (the provider\'s throttling error)',
  rateLimit: 'rate limit (N requests per window)',
  network: 'network (the answer is lost)',
  transition: 'transition (fails or never ends)',
};

export function kindOf(rule: FaultRule): string {
  if (rule.throttle) return 'throttle';
  if (rule.rateLimit) return `rate limit ${rule.rateLimit.requests} per ${rule.rateLimit.windowMs} ms`;
  if (rule.network) return `network ${rule.network}${rule.latencyMs !== undefined ? ` ${rule.latencyMs} ms` : ''}`;
  if (rule.transition) return `transition ${rule.transition}`;
  if (rule.latencyMs !== undefined && rule.httpStatus === undefined && rule.code === undefined && rule.message === undefined) return `latency ${rule.latencyMs} ms`;
  return `error ${rule.httpStatus ?? '(internal)'}${rule.code ? ` ${rule.code}` : ''}`;
}

/** A number field: empty is "not given"; anything else must be a number. */
function num(name: string, text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number`);
  return n;
}

function AddFault() {
  const m = useModel();
  const providers = m.operations?.providers ?? [];
  const kinds = m.operations?.faultKinds ?? Object.keys(KIND_LABELS);
  const [f, setF] = useState<Record<string, string>>({ provider: '', operation: '', kind: 'error', network: 'reset', transition: 'fail' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: { currentTarget: { value: string } }) => setF({ ...f, [k]: e.currentTarget.value, ...(k === 'provider' ? { operation: '' } : {}) });
  const operations = providers.find((p) => p.name === f.provider)?.operations ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    let rule: Record<string, unknown>;
    try {
      rule = {
        provider: f.provider || undefined,
        operation: f.operation || undefined,
        resourceId: f.resourceId?.trim() || undefined,
        count: num('count', f.count ?? ''),
        probability: num('probability', f.probability ?? ''),
      };
      switch (f.kind) {
        case 'error':
          Object.assign(rule, { httpStatus: num('HTTP status', f.httpStatus ?? ''), code: f.code?.trim() || undefined, message: f.message?.trim() || undefined });
          break;
        case 'latency':
          rule.latencyMs = num('latency', f.latencyMs ?? '') ?? 0;
          break;
        case 'throttle':
          rule.throttle = true;
          break;
        case 'rateLimit':
          rule.rateLimit = { requests: num('requests', f.requests ?? '') ?? 1, windowMs: num('window', f.windowMs ?? '') ?? 60_000 };
          break;
        case 'network':
          rule.network = f.network;
          if (f.network === 'slow') rule.latencyMs = num('latency', f.latencyMs ?? '') ?? 1000;
          break;
        case 'transition':
          rule.transition = f.transition;
          break;
      }
    } catch (err) {
      return setError(err);
    }
    for (const k of Object.keys(rule)) if (rule[k] === undefined) delete rule[k];
    setBusy(true);
    try {
      await api('POST', '/faults', rule);
      await loadFaults();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string, label: string, placeholder = '', numeric = false) => (
    <label>
      {label}
      <input type="text" aria-label={label} inputMode={numeric ? 'decimal' : 'text'} name={key} value={f[key] ?? ''} placeholder={placeholder} onInput={set(key)} />
    </label>
  );

  return (
    <form class="card fault-form" onSubmit={submit} aria-label="Add a fault">
      <h3>Add a fault</h3>
      {m.operationsError ? <p class="errors">operations: {m.operationsError}</p> : null}
      <div class="form-grid">
        <label>
          Provider
          <select name="provider" aria-label="Fault provider" value={f.provider} onChange={set('provider')}>
            <option value="">any provider</option>
            {providers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <select name="operation" aria-label="Fault operation" value={f.operation} onChange={set('operation')} disabled={!f.provider}>
            <option value="">any operation</option>
            {operations.map((o) => (
              <option key={o.name} value={o.name}>
                {o.service ? `${o.service}: ` : ''}
                {o.name}
                {o.mutates ? ' (changes state)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select name="kind" aria-label="Fault kind" value={f.kind} onChange={set('kind')}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k] ?? k}
              </option>
            ))}
          </select>
        </label>
        {f.kind === 'error' ? (
          <>
            {field('httpStatus', 'HTTP status', '400 to 599 (default: internal error)', true)}
            {field('code', 'Error code', "default: the provider's")}
            {field('message', 'Message', "default: the provider's")}
          </>
        ) : null}
        {f.kind === 'latency' || (f.kind === 'network' && f.network === 'slow') ? field('latencyMs', 'Latency (ms, real time)', '0 to 300000', true) : null}
        {f.kind === 'rateLimit' ? (
          <>
            {field('requests', 'Requests', 'per window', true)}
            {field('windowMs', 'Window (ms, emulator time)', '60000', true)}
          </>
        ) : null}
        {f.kind === 'network' ? (
          <label>
            Network
            <select name="network" aria-label="Network fault" value={f.network} onChange={set('network')}>
              {['reset', 'empty', 'partial', 'slow'].map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {f.kind === 'transition' ? (
          <label>
            Transition
            <select name="transition" aria-label="Transition fault" value={f.transition} onChange={set('transition')}>
              <option value="fail">fail</option>
              <option value="stuck">stuck</option>
            </select>
          </label>
        ) : null}
        {field('resourceId', 'Resource id', 'any resource')}
        {field('count', 'Count', 'times it fires (default: always)', true)}
        {field('probability', 'Probability', '0 to 1 (default 1)', true)}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Add fault
        </button>
      </div>
      <Errors error={error} />
    </form>
  );
}

export function Faults() {
  const m = useModel();
  const [error, setError] = useState<unknown>();
  const remove = (path: string) => {
    setError(undefined);
    api('DELETE', path).then(() => loadFaults(), setError);
  };
  return (
    <section class="panel faults" aria-label="Faults">
      <header class="panel-head">
        <h2>Faults</h2>
        <span class="muted count">{m.faults.length} held</span>
        <button type="button" disabled={m.faults.length === 0} onClick={() => remove('/faults')}>
          Remove all
        </button>
      </header>
      {m.faultsError ? <p class="errors">{m.faultsError}</p> : null}
      <Errors error={error} />
      <div class="scroll">
        <table class="grid">
          <thead>
            <tr>
              <th>id</th>
              <th>provider</th>
              <th>operation</th>
              <th>resource</th>
              <th>kind</th>
              <th>count</th>
              <th>probability</th>
              <th>fired</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {m.faults.map((rule) => (
              <tr key={rule.id} data-fault={rule.id}>
                <td>
                  <code>{rule.id}</code>
                </td>
                <td>{rule.provider ?? 'any'}</td>
                <td>{rule.operation ?? 'any'}</td>
                <td>{rule.resourceId ?? 'any'}</td>
                <td>{kindOf(rule)}</td>
                <td>{rule.count ?? '∞'}</td>
                <td>{rule.probability ?? 1}</td>
                <td class="fired">{rule.fired}</td>
                <td>
                  <button type="button" onClick={() => remove(`/faults/${encodeURIComponent(rule.id)}`)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {m.faults.length === 0 ? <p class="muted empty">No fault rules.</p> : null}
      </div>
      <AddFault />
    </section>
  );
}
