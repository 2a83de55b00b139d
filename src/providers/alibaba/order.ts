/**
 * Ordering a listing without sorting the whole collection per request: the store keeps entries in
 * insertion (seed) order, which usually already is the listing order, so a sort is only paid for
 * when a seed broke that order.
 */
export type Compare<T> = (a: T, b: T) => number;

/** `items` in `compare` order: as they are when already ordered, reversed when in exactly the opposite order, else a sorted copy. */
export function inOrder<T>(items: readonly T[], compare: Compare<T>): readonly T[] {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < items.length && (ascending || descending); i++) {
    const c = compare(items[i - 1]!, items[i]!);
    if (c > 0) ascending = false;
    if (c < 0) descending = false;
  }
  if (ascending) return items;
  if (descending) return [...items].reverse();
  return [...items].sort(compare);
}

/** Code-unit order of two texts (cheap and locale-independent, unlike localeCompare). */
export function byText(a: unknown, b: unknown): number {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
