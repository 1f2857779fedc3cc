// The engine's waiting room against engines whose work finishes only when the test says so.
import { describe, expect, test } from 'vitest';
import type { EngineHost } from './engine-host';
import { createEngineQueue, type JobSpec } from './engine-queue';
import type { ClientInfo } from '../services/router';

/** An engine whose every call waits until released; `log` records the order calls started in. */
function heldEngine(log: string[]) {
  const releases: (() => void)[] = [];
  const engine = {} as EngineHost;
  const work = (label: string) => (): Promise<string> => {
    log.push(label);
    return new Promise((resolve) => releases.push(() => resolve(label)));
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  // Work starts a microtask after its turn comes: let it start, finish the oldest, let the next one start.
  const releaseNext = async () => {
    await tick();
    releases.shift()?.();
    await tick();
  };
  return { engine, work, releaseNext };
}

const page = (id: number) => {
  const aborter = new AbortController();
  const client: ClientInfo = { id, label: `tab #${id}`, signal: aborter.signal };
  return { client, close: () => aborter.abort() };
};
const job = (call: string, key = call, multiplyAdds = 1000): JobSpec => ({ call, key, cost: { multiplyAdds, outputValues: 1 } });
const settle = <T,>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: { code: string; message: string }) => ({ error }));

/** A queue with an interactive lane (up to a million multiply-adds) and a heavy one, each on an engine held by hand. */
function twoLanes(maxWaiting: number, maxWaitingPerClient: number) {
  const log: string[] = [];
  const heavy = heldEngine(log), light = heldEngine(log);
  const queue = createEngineQueue({
    lanes: [
      { name: 'interactive', engine: light.engine, maxMultiplyAdds: 1e6 },
      { name: 'heavy', engine: heavy.engine, maxMultiplyAdds: Infinity },
    ],
    maxWaiting,
    maxWaitingPerClient,
  });
  return { heavy, light, queue };
}

describe('the engine queue', () => {
  test('is bounded: past its size it answers busy at once, naming the bound, instead of growing', async () => {
    const log: string[] = [];
    const held = heldEngine(log);
    const queue = createEngineQueue({ lanes: [{ name: 'engine', engine: held.engine, maxMultiplyAdds: Infinity }], maxWaiting: 3, maxWaitingPerClient: 2 });
    const a = page(1), b = page(2), c = page(3);
    const running = queue.run(a.client, job('forward', 'k0'), held.work('a0'));
    const waiting = [queue.run(a.client, job('forward', 'k1'), held.work('a1')), queue.run(a.client, job('forward', 'k2'), held.work('a2'))];
    expect(await settle(queue.run(a.client, job('forward', 'k3'), held.work('a3')))).toMatchObject({ error: { code: 'busy', message: expect.stringMatching(/this page may have 2/) } });
    waiting.push(queue.run(b.client, job('probe'), held.work('b0')));
    expect(await settle(queue.run(c.client, job('probe'), held.work('c0')))).toMatchObject({ error: { code: 'busy', message: expect.stringMatching(/3 requests waiting, at most 3/) } });
    expect(queue.stats()).toEqual({ engine: { waiting: 3, running: 1 } });
    for (let i = 0; i < 4; i++) await held.releaseNext();
    expect(await Promise.all([running, ...waiting])).toEqual(['a0', 'a1', 'a2', 'b0']);
    expect(log).toEqual(['a0', 'a1', 'b0', 'a2']);
  });

  test('takes pages in turn: a page with many requests does not hold another page’s one behind them all', async () => {
    const log: string[] = [];
    const held = heldEngine(log);
    const queue = createEngineQueue({ lanes: [{ name: 'engine', engine: held.engine, maxMultiplyAdds: Infinity }], maxWaiting: 32, maxWaitingPerClient: 8 });
    const heavy = page(1), light = page(2);
    const all = [0, 1, 2, 3].map((i) => queue.run(heavy.client, job('forward', `h${i}`), held.work(`h${i}`)));
    all.push(queue.run(light.client, job('forward'), held.work('light')));
    for (let i = 0; i < 5; i++) await held.releaseNext();
    await Promise.all(all);
    expect(log).toEqual(['h0', 'h1', 'light', 'h2', 'h3']);
  });

  test('a newer request of the same question from the same page replaces the older one still waiting', async () => {
    const log: string[] = [];
    const held = heldEngine(log);
    const queue = createEngineQueue({ lanes: [{ name: 'engine', engine: held.engine, maxMultiplyAdds: Infinity }], maxWaiting: 32, maxWaitingPerClient: 8 });
    const a = page(1), b = page(2);
    const first = queue.run(a.client, job('forward', 'draw'), held.work('draw 1'));
    const second = settle(queue.run(a.client, job('forward', 'draw'), held.work('draw 2')));
    const other = queue.run(b.client, job('forward', 'draw'), held.work('other page'));
    const different = queue.run(a.client, job('forward', 'target'), held.work('target'));
    const third = queue.run(a.client, job('forward', 'draw'), held.work('draw 3'));
    expect(await second).toMatchObject({ error: { code: 'cancelled', message: 'forward: replaced by a newer forward request from the same page' } });
    for (let i = 0; i < 4; i++) await held.releaseNext();
    expect(await Promise.all([first, other, different, third])).toEqual(['draw 1', 'other page', 'target', 'draw 3']);
    // The one already running is never replaced; pages take turns (page 1's line: target, then draw 3).
    expect(log).toEqual(['draw 1', 'target', 'other page', 'draw 3']);
  });

  test('a closed page takes its waiting work with it: nothing of it starts', async () => {
    const log: string[] = [];
    const held = heldEngine(log);
    const queue = createEngineQueue({ lanes: [{ name: 'engine', engine: held.engine, maxMultiplyAdds: Infinity }], maxWaiting: 32, maxWaitingPerClient: 8 });
    const a = page(1), b = page(2);
    const running = queue.run(b.client, job('forward'), held.work('b'));
    const gone = [settle(queue.run(a.client, job('forward'), held.work('a forward'))), settle(queue.run(a.client, job('probe'), held.work('a probe')))];
    a.close();
    expect(await Promise.all(gone)).toEqual([
      { error: expect.objectContaining({ code: 'cancelled', message: 'the page that asked has gone' }) },
      { error: expect.objectContaining({ code: 'cancelled' }) },
    ]);
    expect(queue.stats()).toEqual({ engine: { waiting: 0, running: 1 } });
    expect(await settle(queue.run(a.client, job('forward'), held.work('late')))).toMatchObject({ error: { code: 'cancelled' } });
    await held.releaseNext();
    expect(await running).toBe('b');
    expect(log).toEqual(['b']);
  });

  test('light requests run in their own lane, beside a heavy one, not behind it', async () => {
    const { heavy, light, queue } = twoLanes(32, 8);
    const a = page(1), b = page(2);
    void queue.run(a.client, job('forward', 'big', 5e9), heavy.work('big'));
    const small = queue.run(b.client, job('forward', 'small', 1e4), light.work('small'));
    expect(queue.stats()).toEqual({ interactive: { waiting: 0, running: 1 }, heavy: { waiting: 0, running: 1 } });
    await light.releaseNext();
    expect(await small).toBe('small');
    expect(queue.stats().heavy.running).toBe(1);
  });

  test('a full heavy lane refuses the next heavy request, never a light one', async () => {
    const { heavy, light, queue } = twoLanes(2, 2);
    const pages = [page(1), page(2), page(3)];
    for (const [i, p] of pages.entries()) void queue.run(p.client, job('forward', `big${i}`, 5e9), heavy.work(`big${i}`)).catch(() => undefined);
    expect(queue.stats().heavy).toEqual({ waiting: 2, running: 1 });
    expect(await settle(queue.run(page(4).client, job('forward', 'big4', 5e9), heavy.work('big4')))).toMatchObject({
      error: { code: 'busy', message: expect.stringMatching(/2 requests waiting, at most 2 in its heavy lane/) },
    });
    const small = queue.run(page(4).client, job('forward', 'small', 1e4), light.work('small'));
    await light.releaseNext();
    expect(await small).toBe('small');
  });
});
