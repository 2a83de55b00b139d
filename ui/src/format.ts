/** Small text helpers for the views. */

/** A countdown: "in 1.5 s", "in 2 min 5 s", or "due" once reached. */
export function countdown(ms: number): string {
  if (ms <= 0) return 'due';
  if (ms < 10_000) return `in ${(ms / 1000).toFixed(1)} s`;
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `in ${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `in ${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** A duration in ms as the --transition flag writes it. */
export function duration(ms: number | null): string {
  if (ms === null) return 'never';
  if (ms === 0) return '0';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The time of day of an ISO instant (UTC, as the emulator's clock reads). */
export function timeOf(iso: string | undefined): string {
  return iso && iso.length >= 23 ? iso.slice(11, 23) : (iso ?? '');
}

/** A value in a cell: strings as they are, the rest as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function statusClass(status: number | undefined): string {
  if (status === undefined) return 's-none';
  if (status === 0) return 's-lost';
  return `s-${Math.floor(status / 100)}xx`;
}
