/** Hooks shared by the views. */
import { useEffect, useState } from 'preact/hooks';
import { emulatorNow, model, subscribe, type Model } from './model.js';

/** The model, re-rendering the component whenever it changes. */
export function useModel(): Model {
  const [, setTick] = useState(0);
  useEffect(() => subscribe(() => setTick((n) => n + 1)), []);
  return model;
}

/**
 * The emulator's clock now, in ms. A system clock moves by itself: re-render a few times a second
 * so countdowns run. A manual clock does not: the component re-renders when the clock is moved.
 */
export function useEmulatorNow(): number | undefined {
  const m = useModel();
  const [, setTick] = useState(0);
  const ticking = m.clock?.mode === 'system';
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setTick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, [ticking]);
  return emulatorNow();
}
