import { Clock } from '../../src/core/clock.js';
import { Durations, parseDuration } from '../../src/core/transitions.js';

describe('Clock', () => {
  test('manual mode is frozen and moves only by set and advance', () => {
    const c = new Clock('manual', Date.parse('2026-01-01T00:00:00Z'));
    expect(c.nowIso()).toBe('2026-01-01T00:00:00.000Z');
    c.advance(1500);
    expect(c.nowIso()).toBe('2026-01-01T00:00:01.500Z');
    c.set(Date.parse('2030-05-05T05:05:05Z'));
    expect(c.state()).toEqual({ now: '2030-05-05T05:05:05.000Z', mode: 'manual' });
  });

  test('switching modes never jumps back in time', () => {
    const c = new Clock('manual', Date.parse('2040-01-01T00:00:00Z'));
    c.setMode('system');
    expect(c.now()).toBeGreaterThanOrEqual(Date.parse('2040-01-01T00:00:00Z'));
    expect(c.now()).toBeLessThan(Date.parse('2040-01-01T00:01:00Z'));
    c.setMode('manual');
    const frozen = c.now();
    expect(c.now()).toBe(frozen);
  });

  test('listeners hear every jump', () => {
    const c = new Clock('manual', 0);
    let heard = 0;
    const off = c.onChange(() => heard++);
    c.advance(1);
    c.set(10);
    off();
    c.advance(1);
    expect(heard).toBe(2);
  });
});

describe('Durations', () => {
  test('defaults, overrides, due times and never', () => {
    const d = new Durations({ a: 100, b: 5 }, { b: null });
    expect(d.dueAt('a', 1000)).toBe(1100);
    expect(d.dueAt('b', 1000)).toBeNull();
    d.update({ a: 0 });
    expect(d.dueAt('a', 1000)).toBe(1000);
    expect(d.toJSON()).toEqual({ a: 0, b: null });
  });

  test('bad updates change nothing', () => {
    const d = new Durations({ a: 100, b: 5 });
    expect(() => d.update({ a: 1, c: 2 })).toThrow(/unknown transition "c"/);
    expect(() => d.update({ a: -1 })).toThrow(/whole number/);
    expect(() => d.update({ a: 1.5 })).toThrow(/whole number/);
    expect(() => d.update({ a: '10' })).toThrow(/whole number/);
    expect(d.toJSON()).toEqual({ a: 100, b: 5 });
  });

  test('parseDuration reads ms, s, m and never', () => {
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1m')).toBe(60000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('never')).toBeNull();
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});
