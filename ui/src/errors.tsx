/** Errors shown where they happened: the control plane's `errors` list, each with its path. */
import { ApiError } from './api.js';

export function Errors({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const items = error instanceof ApiError ? error.errors : [{ message: error instanceof Error ? error.message : String(error) }];
  return (
    <ul class="errors" role="alert">
      {items.map((e, i) => (
        <li key={i}>
          {'path' in e && e.path ? <code>{e.path}</code> : null} {e.message}
        </li>
      ))}
    </ul>
  );
}

export function Json({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
