// Network training kept per page, with a fake engine: another page's run cannot be seen or controlled, a closed
// page's run is released, a page's new run replaces its own only, and the host trains a bounded number at once,
// each priced before it starts.
import { describe, expect, test } from 'vitest';
import { BOOK_NET_SETTINGS, bookNetSettings, type NetTrainingEvent } from '../contract/net-contract';
import type { EngineHost } from './engine-host';
import { createEngineHandlers } from './engine-handlers';
import type { EngineQueue } from './engine-queue';
import { createNetRunHandlers } from './net-runs';
import type { CallContext, ClientInfo } from '../services/router';

function page(id: number) {
  const aborter = new AbortController();
  const client: ClientInfo = { id, label: `the tab connected at 04:0${id}:00 (#${id})`, signal: aborter.signal };
  const events: NetTrainingEvent[] = [];
  const context: CallContext = { client, emit: (event, payload) => event === 'netTraining' && events.push(payload as NetTrainingEvent) };
  return { context, events, close: () => aborter.abort() };
}

function fakeEngine() {
  const log: string[] = [];
  const listeners = new Map<number, (event: NetTrainingEvent) => void>();
  let nextRun = 1;
  const engine = {
    async netTrainingStart(_request, _folder, onEvent, _team, _alarm, owner) {
      const runId = nextRun++;
      listeners.set(runId, onEvent);
      log.push(`start ${runId} for ${owner}`);
      return { runId };
    },
    async netTrainingLoad(_request, folder, owner) {
      log.push(`load ${nextRun} for ${owner} with ${folder}`);
      return { runId: nextRun++ };
    },
    async netTrainingControl({ runId, command }) {
      log.push(`${command} ${runId}`);
      return { state: 'stopped' };
    },
    async netTrainingSnapshot({ runId }) {
      log.push(`snapshot ${runId}`);
      return {} as never;
    },
    async netTrainingPredict({ runId }) {
      log.push(`predict ${runId}`);
      return {} as never;
    },
    async netTrainingUnitGradient({ runId }) {
      log.push(`gradient ${runId}`);
      return {} as never;
    },
    async netTrainingRelease(_request, owner) {
      log.push(`release ${owner}`);
      return {};
    },
  } as Partial<EngineHost> as EngineHost;
  const end = (runId: number, kind: NetTrainingEvent['kind'] = 'done') => listeners.get(runId)?.({ runId, kind } as NetTrainingEvent);
  /** The network calls as the hosts make them: the engine table's handlers, kept per page. */
  const handlers = (readyFolder: () => Promise<string | null>, maxGoing?: number) =>
    createNetRunHandlers(createEngineHandlers(engine, {} as EngineQueue, readyFolder), maxGoing);
  return { engine, log, end, handlers };
}

const settings = { settings: BOOK_NET_SETTINGS };
/** The release a closed page sends goes through the engine's handler: its call has reached the engine after this. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('network runs, one page at a time each', () => {
  test("another page's run answers as an unknown one: it cannot be paused, stopped, asked, probed or saved", async () => {
    const { handlers, log } = fakeEngine();
    const calls = handlers(async () => '/data');
    const a = page(1), b = page(2);
    const { runId } = await calls.netTrainingStart(settings, a.context);
    await expect(calls.netTrainingControl({ runId, command: 'stop' }, b.context)).rejects.toMatchObject({ code: 'engine', message: `training run ${runId} is not running` });
    await expect(calls.netTrainingControl({ runId, command: 'pause' }, b.context)).rejects.toMatchObject({ message: `training run ${runId} is not running` });
    await expect(calls.netTrainingSnapshot({ runId }, b.context)).rejects.toMatchObject({ message: `training run ${runId} has no network to save` });
    await expect(calls.netTrainingPredict({ runId, image: { test: 0 } }, b.context)).rejects.toMatchObject({ message: `training run ${runId} has no network to ask` });
    await expect(calls.netTrainingUnitGradient({ runId, layer: 0, channel: 0, y: 0, x: 0, image: { test: 0 } } as never, b.context))
      .rejects.toMatchObject({ message: `training run ${runId} has no network to probe` });
    await calls.netTrainingControl({ runId, command: 'pause' }, a.context);
    await calls.netTrainingSnapshot({ runId }, a.context);
    expect(log).toEqual(['start 1 for page 1', 'pause 1', 'snapshot 1']);
  });

  test("a closed page's run is released (stopped and dropped), and its id is nobody's", async () => {
    const { handlers, log } = fakeEngine();
    const calls = handlers(async () => '/data');
    const a = page(1), b = page(2);
    const { runId } = await calls.netTrainingStart(settings, a.context);
    a.close();
    await settled();
    expect(log).toEqual(['start 1 for page 1', 'release page 1']);
    // The engine answers for an id nobody holds.
    await calls.netTrainingControl({ runId, command: 'stop' }, b.context);
    expect(log.at(-1)).toBe('stop 1');
  });

  test("a page's new run replaces its own: it counts once against the host's bound", async () => {
    const { handlers, end } = fakeEngine();
    const calls = handlers(async () => '/data', 2);
    const a = page(1), b = page(2), c = page(3);
    await calls.netTrainingStart(settings, a.context);
    await calls.netTrainingStart(settings, a.context);
    const second = await calls.netTrainingStart(settings, b.context);
    await expect(calls.netTrainingStart(settings, c.context)).rejects.toMatchObject({
      code: 'busy', message: '2 training runs are going on this host, the most it trains at once (2); wait for one to end, or stop one in its tab',
    });
    // The replaced run's end frees nothing; the end of a going one does.
    end(1, 'stopped');
    await expect(calls.netTrainingStart(settings, c.context)).rejects.toMatchObject({ code: 'busy' });
    end(second.runId, 'stopped');
    await expect(calls.netTrainingStart(settings, c.context)).resolves.toMatchObject({ runId: 4 });
  });

  test('starts at once from many pages take the places there are, and no more', async () => {
    const { handlers } = fakeEngine();
    const calls = handlers(async () => '/data', 4);
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => calls.netTrainingStart(settings, page(i + 1).context)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
  });

  test('a run is priced before it starts: too big alone, or beside the runs going', async () => {
    const { handlers, log } = fakeEngine();
    const calls = handlers(async () => '/data');
    const a = page(1), b = page(2);
    await expect(calls.netTrainingStart({ settings: { ...bookNetSettings('googlenet'), divisor: 1, batchSize: 1024 } }, a.context)).rejects.toMatchObject({
      code: 'limit', message: expect.stringMatching(/^GoogLeNet ÷1 at batch 1024 needs 88\.\d billion multiply-adds per training step; the limit is 30\.0 billion/),
    });
    await calls.netTrainingStart({ settings: { ...bookNetSettings('resnet18'), divisor: 1 } }, a.context);
    await expect(calls.netTrainingStart({ settings: { ...bookNetSettings('googlenet'), divisor: 1 } }, b.context)).rejects.toMatchObject({
      code: 'limit', message: expect.stringMatching(/^GoogLeNet ÷1 at batch 128 needs about \d+ MiB of memory to train, but the 1 training run of other pages on this host hold/),
    });
    // The page's own going run is replaced, so it does not count against its new one.
    await calls.netTrainingStart({ settings: { ...bookNetSettings('googlenet'), divisor: 1 } }, a.context);
    expect(log).toEqual(['start 1 for page 1', 'start 2 for page 1']);
  });

  test("an ended run's net counts what it keeps until its page replaces it or closes", async () => {
    const { handlers, end } = fakeEngine();
    const calls = handlers(async () => '/data');
    const resnet = { settings: { ...bookNetSettings('resnet18'), divisor: 1 } };
    const pages = [page(1), page(2), page(3)], d = page(4);
    for (const p of pages) end((await calls.netTrainingStart(resnet, p.context)).runId);
    await expect(calls.netTrainingStart(resnet, d.context)).rejects.toMatchObject({
      code: 'limit', message: expect.stringMatching(/^ResNet-18 ÷1 at batch 256 needs about \d+ MiB of memory to train, but the 3 networks of other pages on this host hold \d+ MiB of its 1\.00 GiB/),
    });
    await expect(calls.netTrainingLoad({ net: resnet as never }, d.context)).resolves.toMatchObject({ runId: 4 });
    pages[0].close();
    await expect(calls.netTrainingStart(resnet, d.context)).resolves.toMatchObject({ runId: 5 });
  });

  test('opening a saved net is priced too: its weights beside what the other pages hold', async () => {
    const { handlers, end } = fakeEngine();
    const calls = handlers(async () => '/data');
    const resnet = { settings: { ...bookNetSettings('resnet18'), divisor: 1 } };
    for (const p of [page(1), page(2)]) end((await calls.netTrainingStart(resnet, p.context)).runId);
    await calls.netTrainingStart(resnet, page(3).context);
    await expect(calls.netTrainingLoad({ net: resnet as never }, page(4).context)).rejects.toMatchObject({
      code: 'limit', message: expect.stringMatching(/^opening ResNet-18 ÷1 needs about \d+ MiB of memory, but the 1 training run and 2 networks of other pages on this host hold \d+ MiB of its 1\.00 GiB; wait for a run to end or a page to close$/),
    });
  });

  test('a start refused for want of the dataset leaves the page its earlier run', async () => {
    const { handlers } = fakeEngine();
    let folder: string | null = '/data';
    const calls = handlers(async () => folder, 1);
    const a = page(1), b = page(2);
    await calls.netTrainingStart(settings, a.context);
    folder = null;
    await expect(calls.netTrainingStart(settings, a.context)).rejects.toMatchObject({ code: 'bad-file' });
    folder = '/data';
    await expect(calls.netTrainingStart(settings, b.context)).rejects.toMatchObject({ code: 'busy' });
  });

  test("a net opened from a lab is its page's: another page cannot ask it", async () => {
    const { handlers, log } = fakeEngine();
    const calls = handlers(async () => null);
    const a = page(1), b = page(2);
    const { runId } = await calls.netTrainingLoad({ net: { settings: BOOK_NET_SETTINGS } as never }, a.context);
    await expect(calls.netTrainingPredict({ runId, image: { test: 0 } }, b.context)).rejects.toMatchObject({ message: `training run ${runId} has no network to ask` });
    expect(log).toEqual(['load 1 for page 1 with null']);
  });
});
