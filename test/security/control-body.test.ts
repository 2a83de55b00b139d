/**
 * The control plane's own body limit (--control-body-limit, default 64 MiB) and its in-flight byte
 * budget: concurrent large control bodies are read one budget's worth at a time, so memory is bounded
 * by the limit, not by the number of clients. Counted, not timed.
 */
import { startTestEmulator } from '../support/emulator.js';
import { widgetsProvider } from '../support/widgets-provider.js';

function seedOf(bytes: number, tag: string): string {
  const items: Array<{ id: string; pad: string }> = [];
  let size = 20;
  for (let i = 0; size < bytes; i++) {
    const item = { id: `${tag}-${i}`, pad: 'x'.repeat(500) };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return JSON.stringify({ widgets: { items } });
}

test('the control plane has its own limit, independent of --body-limit', async () => {
  const t = await startTestEmulator({ providers: [widgetsProvider], bodyLimit: 1024, controlBodyLimit: 256 * 1024 });
  try {
    // Larger than the provider limit, within the control limit: accepted.
    await t.http.post('/_emulator/seed').set('Content-Type', 'application/json').send(seedOf(200 * 1024, 'a')).expect(200);
    // Over the control limit: 413 naming it, even though 64 MiB was accepted before.
    const res = await t.http.post('/_emulator/seed').set('Content-Type', 'application/json').send(seedOf(300 * 1024, 'b'));
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toContain(String(256 * 1024));
    expect(t.ctx.config.controlBodyLimit).toBe(256 * 1024);
  } finally {
    await t.close();
  }
});

test('the default control limit takes a 100,000-resource seed', async () => {
  const t = await startTestEmulator({ providers: [widgetsProvider] });
  try {
    expect(t.ctx.config.controlBodyLimit).toBe(64 * 1024 * 1024);
    const items = Array.from({ length: 100_000 }, (_, i) => ({ id: `w${i}` }));
    const res = await t.http.post('/_emulator/seed').send({ widgets: { items } });
    expect(res.body).toEqual({ status: 'seeded', entries: 100_000 });
  } finally {
    await t.close();
  }
});

test('concurrent large control bodies share one in-flight budget (bytes held at once never exceed the limit)', async () => {
  const limit = 512 * 1024;
  const t = await startTestEmulator({ providers: [widgetsProvider], controlBodyLimit: limit });
  try {
    const bodies = Array.from({ length: 8 }, (_, k) => seedOf(400 * 1024, `c${k}`));
    // The test holds the whole budget until all eight are in the server, so they must queue (not
    // left to arrival timing): then it lets go, and each is read in turn.
    const hold = t.ctx.controlBodies.reserve(limit, () => {});
    const sent = Promise.all(bodies.map((b) => t.http.post('/_emulator/seed').set('Content-Type', 'application/json').send(b)));
    for (let checks = 0; t.ctx.controlBodies.stats().waiting < 8; checks++) {
      if (checks > 2000) throw new Error('the eight requests never queued');
      await new Promise((resolve) => setTimeout(resolve, 5)); // waits for arrivals, asserts nothing about time
    }
    hold();
    const results = await sent;
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const stats = t.ctx.controlBodies.stats();
    // Eight 400 KiB bodies arrived together; at most one was held at a time, the others waited.
    expect(stats.peakBytes).toBeLessThanOrEqual(limit);
    expect(stats.peakBytes).toBeGreaterThan(0);
    expect(stats.waited).toBeGreaterThanOrEqual(8);
    expect(stats.inFlightBytes).toBe(0);
    expect((await t.state()).widgets.items.length).toBeGreaterThan(8 * 700);
    // A client that gives up while waiting releases nothing it did not hold, and the next body is read.
    await t.http.post('/_emulator/seed').send({ widgets: { items: [{ id: 'after' }] } }).expect(200);
    expect(t.ctx.controlBodies.stats().inFlightBytes).toBe(0);
  } finally {
    await t.close();
  }
});
