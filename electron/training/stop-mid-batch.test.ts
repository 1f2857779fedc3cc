// Stop lands inside a long batch, not after it: on one engine worker and on a pool of two splitting the batch
// (ResNet-18 ÷2 at batch 256, several seconds a batch here). A page's new run stops its old one inside the batch too.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bookNetSettings, type NetTrainingEvent } from '../contract/net-contract';
import { createEngineHost, type EngineHost } from '../engine/engine-host';
import { createEnginePool } from '../engine/engine-pool';
import { randomDataset } from './random-dataset.test-helper';
import { REPLACED_BY_RUN } from './stop-words';

const file = new URL('../engine/engine-worker.ts', import.meta.url), execArgv = ['--import', 'tsx'];
const single = createEngineHost(file, { execArgv });
const pool = createEnginePool(file, { execArgv, size: 2 });
afterAll(() => Promise.all([single.close(), pool.close()]));

let folder = '';
beforeAll(async () => {
  folder = await randomDataset({ train: 512, test: 20 });
});

const slow = { settings: { ...bookNetSettings('resnet18'), divisor: 2, batchSize: 256, epochs: 5 } };
const ENDS = ['done', 'stopped', 'diverged', 'error'];
const until = (ok: () => boolean) => new Promise<void>((resolve) => {
  const poll = setInterval(() => ok() && (clearInterval(poll), resolve()), 2);
});

async function start(host: EngineHost, owner?: string, request = slow) {
  const events: NetTrainingEvent[] = [];
  const { runId } = await host.netTrainingStart(request, folder, (event) => events.push(event), undefined, undefined, owner);
  // The first filters are sent as the first batch starts.
  await until(() => events.length > 0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { runId, events, end: () => events.find((e) => ENDS.includes(e.kind)) };
}

describe('stop inside a batch', () => {
  test.each([
    ['one worker', () => single, slow],
    ['a pool of two', () => pool, slow],
    // No batch norm: the helper claims a chunk of its own, which it gives up once the leader has given up its.
    ['a pool of two, GoogLeNet ÷1', () => pool, { settings: { ...bookNetSettings('googlenet'), divisor: 1, batchSize: 128, epochs: 5 } }],
  ] as const)('%s: Stop lands before the batch ends', async (_, host, request) => {
    const run = await start(host(), undefined, request);
    const asked = performance.now();
    expect(await host().netTrainingControl({ runId: run.runId, command: 'stop' })).toEqual({ state: 'stopped' });
    await until(() => run.end() !== undefined);
    expect(run.end()).toEqual({ runId: run.runId, kind: 'stopped' });
    // No batch was finished: the one under way was dropped.
    expect(run.events.filter((e) => e.kind === 'batch')).toEqual([]);
    expect(performance.now() - asked).toBeLessThan(1500);
  }, 20_000);

  test("a page's new run stops its old one inside its batch, saying why", async () => {
    const old = await start(single, 'page 1');
    const { runId } = await single.netTrainingStart({ settings: { ...slow.settings, net: 'lenet', batchSize: 64, epochs: 1 } }, folder, () => undefined, undefined, undefined, 'page 1');
    await until(() => old.end() !== undefined);
    expect(old.end()).toEqual({ runId: old.runId, kind: 'stopped', message: REPLACED_BY_RUN });
    expect(old.events.filter((e) => e.kind === 'batch')).toEqual([]);
    await single.netTrainingControl({ runId, command: 'stop' });
  }, 20_000);
});
