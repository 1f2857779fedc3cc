// A trainer thread killed mid-run, through the engine pool alone: the page of each run it held gets an error end
// event naming the cause (the host's listeners used to be cleared first, so nothing reached it), and the pool
// trains again afterwards.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BOOK_NET_SETTINGS, type NetTrainingEvent } from '../contract/net-contract';
import type { TrainingEvent } from '../contract/contract';
import { createEnginePool } from './engine-pool';
import { randomDataset } from '../training/random-dataset.test-helper';

const pool = createEnginePool(new URL('./engine-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], size: 1 });
afterAll(() => pool.close());

let folder = '';
beforeAll(async () => {
  folder = await randomDataset({ train: 300, test: 100 });
});

const until = (ok: () => boolean) => new Promise<void>((resolve) => {
  const poll = setInterval(() => ok() && (clearInterval(poll), resolve()), 2);
});

test('a network run whose trainer thread is killed ends with an error naming the cause; the next run trains', async () => {
  const events: NetTrainingEvent[] = [];
  await pool.netTrainingStart({ settings: { ...BOOK_NET_SETTINGS, batchSize: 64, epochs: 50 } }, folder, (event) => events.push(event));
  await until(() => events.some((e) => e.kind === 'batch'));
  await pool.workers()[0]!.terminate();
  await until(() => events.some((e) => e.kind === 'error'));
  expect(events.at(-1)).toMatchObject({ kind: 'error', message: expect.stringContaining('(the engine exited with code 1)') });

  const again: NetTrainingEvent[] = [];
  await pool.netTrainingStart({ settings: { ...BOOK_NET_SETTINGS, batchSize: 64, epochs: 1 } }, folder, (event) => again.push(event));
  await until(() => again.some((e) => e.kind === 'done'));
}, 15_000);

test('a kernel training run whose thread is killed ends with an error too', async () => {
  const events: TrainingEvent[] = [];
  const x = { shape: [1, 1, 6, 8] as [1, number, number, number], data: new Float32Array(48).fill(1) };
  await pool.trainStart({ x, y: { shape: [1, 1, 6, 7], data: new Float32Array(42) }, kernel: [1, 2], initWeight: Float32Array.from([0.05, -0.03]),
    learnBias: false, lr: 0.03, iterations: 100_000, flip: false, pace: 20 }, (event) => events.push(event));
  await until(() => events.some((e) => e.kind === 'step'));
  await pool.workers()[0]!.terminate();
  await until(() => events.some((e) => e.kind === 'error'));
  expect(events.at(-1)?.message).toContain('(the engine exited with code 1)');
}, 15_000);
