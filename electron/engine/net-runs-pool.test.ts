// Network training per page on a real engine pool (two workers, TypeScript through tsx): two tabs train at once,
// each unaware of the other; a tab's new run stops its old one saying why; a closed tab's run stops; a killed
// trainer thread ends every run it held with an error naming the cause, and the pool trains again.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BOOK_NET_SETTINGS, type NetTrainingEvent } from '../contract/net-contract';
import { createEnginePool } from './engine-pool';
import { createHandlers, type Services } from '../assemble/handlers';
import { CLOSED_PAGE, REPLACED_BY_RUN } from '../training/stop-words';
import { randomDataset } from '../training/random-dataset.test-helper';
import type { CallContext, ClientInfo } from '../services/router';

const pool = createEnginePool(new URL('./engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], size: 2 });
afterAll(() => pool.close());

let folder = '';
beforeAll(async () => {
  folder = await randomDataset({ train: 300, test: 100 });
});
// The handlers as both hosts make them, with the services these calls do not use left out.
const calls = createHandlers({ engine: pool, dataset: { readyFolder: async () => ({ folder, fashion: false }) }, queue: {} } as unknown as Services);

const ENDS = ['done', 'stopped', 'diverged', 'error'];
const long = { settings: { ...BOOK_NET_SETTINGS, batchSize: 64, epochs: 50 } };

function page(id: number) {
  const aborter = new AbortController();
  const client: ClientInfo = { id, label: `the tab connected at 04:0${id}:00 (#${id})`, signal: aborter.signal };
  const events: NetTrainingEvent[] = [];
  const context: CallContext = { client, emit: (event, payload) => event === 'netTraining' && events.push(payload as NetTrainingEvent) };
  const batches = (runId: number) => events.filter((e) => e.runId === runId && e.kind === 'batch').length;
  const end = (runId: number) => events.find((e) => e.runId === runId && ENDS.includes(e.kind));
  return { context, events, batches, end, close: () => aborter.abort() };
}

const until = (ok: () => boolean) => new Promise<void>((resolve) => {
  const poll = setInterval(() => ok() && (clearInterval(poll), resolve()), 2);
});

describe('network runs kept per tab on one engine pool', () => {
  test('two tabs train at once, each unaware of the other; a closed tab\'s run stops', async () => {
    const a = page(1), b = page(2);
    const runA = (await calls.netTrainingStart(long, a.context)).runId;
    await until(() => a.batches(runA) >= 1);
    const runB = (await calls.netTrainingStart(long, b.context)).runId;
    await until(() => b.batches(runB) >= 2);
    const seenA = a.batches(runA);
    await until(() => a.batches(runA) > seenA + 1);
    expect(a.end(runA)).toBeUndefined();
    expect(a.events.every((e) => e.runId === runA)).toBe(true);
    expect(b.events.every((e) => e.runId === runB)).toBe(true);
    await expect(calls.netTrainingControl({ runId: runA, command: 'stop' }, b.context)).rejects.toMatchObject({ message: `training run ${runA} is not running` });

    b.close();
    await until(() => b.end(runB) !== undefined);
    expect(b.end(runB)).toEqual({ runId: runB, kind: 'stopped', message: CLOSED_PAGE });
    const afterClose = a.batches(runA);
    await until(() => a.batches(runA) > afterClose);
    expect(await calls.netTrainingControl({ runId: runA, command: 'stop' }, a.context)).toEqual({ state: 'stopped' });
    await until(() => a.end(runA) !== undefined);
    expect(a.end(runA)).toEqual({ runId: runA, kind: 'stopped' });
  }, 20_000);

  test("a tab's new run stops its old one, whose event says why", async () => {
    const a = page(3);
    const first = (await calls.netTrainingStart(long, a.context)).runId;
    await until(() => a.batches(first) >= 1);
    const second = (await calls.netTrainingStart(long, a.context)).runId;
    await until(() => a.end(first) !== undefined);
    expect(a.end(first)).toEqual({ runId: first, kind: 'stopped', message: REPLACED_BY_RUN });
    await calls.netTrainingControl({ runId: second, command: 'stop' }, a.context);
    await until(() => a.end(second) !== undefined);
    a.close();
  }, 20_000);

  test('a killed trainer thread ends every run it held with an error naming the cause, and the pool trains again', async () => {
    const a = page(4), b = page(5);
    const runA = (await calls.netTrainingStart(long, a.context)).runId;
    const runB = (await calls.netTrainingStart(long, b.context)).runId;
    await until(() => a.batches(runA) >= 1 && b.batches(runB) >= 1);
    await pool.workers()[0]!.terminate();
    await until(() => a.end(runA) !== undefined && b.end(runB) !== undefined);
    for (const [p, runId] of [[a, runA], [b, runB]] as const) {
      expect(p.end(runId)).toEqual({ runId, kind: 'error', message: 'the training run ended because its engine worker stopped (the engine exited with code 1); start it again to go on' });
    }
    const again = (await calls.netTrainingStart({ settings: { ...long.settings, epochs: 1 } }, a.context)).runId;
    await until(() => a.end(again) !== undefined);
    expect(a.end(again)?.kind).toBe('done');
    a.close();
    b.close();
  }, 20_000);
});
