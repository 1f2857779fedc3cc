// A batch cut into chunks for a leader and helpers (on MessageChannels in this thread: the same messages and
// shared memory the engine workers use) trains the net one worker trains: same seed, same steps, losses and
// weights equal within 1e-5, the short last batch included, and the test pass's logits; nets with dropout stay on
// one worker (batch norm's split needs helpers on their own threads: parallel-batchnorm.test.ts). On one thread the
// leader claims every chunk before a helper reads its message: helpers computing chunks on their own threads are
// tested with real workers in parallel-pool.test.ts.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import type { LabelledImages } from '../../core/data/idx';
import { Training } from '../../core/nets/train';
import { BOOK_SETTINGS, type TrainSettings } from '../../core/nets/catalogue';
import { chunkStarts, serveGradients, teamStepper } from './parallel-training';
import { randomImages } from './random-dataset.test-helper';

/** `helpers` ports, each served (in this thread) as an engine worker serves them. */
function helperPorts(helpers: number) {
  return Array.from({ length: helpers }, () => {
    const { port1, port2 } = new MessageChannel();
    serveGradients(port2);
    return port1;
  });
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

async function compare(settings: TrainSettings, train: LabelledImages, steps: number, helpers: number) {
  const test = randomImages(20, 9);
  const one = new Training(settings, train, test), split = new Training(settings, train, test);
  const stepper = teamStepper(split, helperPorts(helpers));
  expect(stepper.threads).toBe(helpers + 1);
  try {
    for (let s = 0; s < steps; s++) {
      const a = one.step(), b = await stepper.step(split);
      expect(b.progress).toMatchObject({ epoch: a.progress.epoch, batch: a.progress.batch, acc: a.progress.acc });
      expect(close(b.progress.loss, a.progress.loss), `step ${s + 1}: loss ${b.progress.loss} vs ${a.progress.loss}`).toBe(true);
      expect(b.epoch?.testAcc).toBe(a.epoch?.testAcc);
    }
    // The test set's classes and logits at the epoch's end, split like the batches, are one worker's (the confusion
    // matrix's and the most-wrong list's source).
    expect(split.testPredictions).not.toBeNull();
    expect(Array.from(split.testPredictions!)).toEqual(Array.from(one.testPredictions!));
    expect(split.testLogits).toHaveLength(20 * 10);
    split.testLogits!.forEach((v, i) => expect(close(v, one.testLogits![i])).toBe(true));
  } finally {
    stepper.close();
  }
  let worst = 0;
  for (const [path, t] of one.params) {
    const u = split.params.get(path)!.data;
    t.data.forEach((v, i) => void (worst = Math.max(worst, Math.abs(u[i] - v) / Math.max(1, Math.abs(v)))));
  }
  expect(worst).toBeLessThanOrEqual(1e-5);
}

describe('a batch split over a team', () => {
  test("two halves train the book's LeNet as one worker does, over an epoch whose last batch is short", async () => {
    // 100 images in batches of 32: three full batches and one of 4, still divided by 32; then epoch 2 begins.
    await compare({ ...BOOK_SETTINGS.lenet, batchSize: 32, epochs: 2 }, randomImages(100, 1), 6, 1);
  });

  test('three slices (two helpers) give the same net over a whole epoch, with momentum', async () => {
    await compare({ ...BOOK_SETTINGS.lenet, activation: 'relu', pooling: 'avg', lr: 0.1, momentum: 0.9, batchSize: 50, epochs: 1 }, randomImages(100, 2), 2, 2);
  });

  test('a net with dropout (NiN) stays on one worker, and says why', () => {
    const training = new Training({ ...BOOK_SETTINGS.nin, batchSize: 32 }, randomImages(64, 3), randomImages(10, 4));
    const stepper = teamStepper(training, helperPorts(1));
    expect(stepper.threads).toBe(1);
    expect(stepper.refusal).toBe('its dropout layers need the whole batch on one thread');
  });

  test('a helper whose port closes fails the run with an error that says so', async () => {
    const training = new Training({ ...BOOK_SETTINGS.lenet, batchSize: 32 }, randomImages(64, 5), randomImages(10, 6));
    const { port1, port2 } = new MessageChannel();
    const stepper = teamStepper(training, [port1]);
    // A helper that is told a run is open and goes away. Here, on one thread, the leader has already taken every
    // chunk (a helper that dies holding a chunk fails the step in flight: chunk-claims.test.ts and the pool test).
    port2.on('message', (m: { kind: string }) => void (m.kind === 'gradients' && port2.close()));
    // Heard after the stepper's own listener: once this resolves, the leader knows its helper is gone (a fixed 10 ms
    // wait was not always long enough on a loaded machine).
    const heard = new Promise((done) => port1.once('close', done));
    await stepper.step(training);
    await heard;
    await expect(stepper.step(training)).rejects.toThrow('an engine worker sharing this run stopped mid-run; the run was stopped');
    stepper.close();
  });
});

test("a batch's chunks cover it once, in order, one a thread", () => {
  expect(chunkStarts(256, 2)).toEqual([0, 128, 256]);
  expect(chunkStarts(96, 2)).toEqual([0, 48, 96]);
  expect(chunkStarts(50, 3)).toEqual([0, 17, 34, 50]);
  expect(chunkStarts(1, 2)).toEqual([0, 1]);
  for (const [count, threads] of [[2, 2], [3, 3], [7, 2], [500, 2], [10000, 4]]) {
    const starts = chunkStarts(count, threads);
    expect(starts[0]).toBe(0);
    expect(starts.at(-1)).toBe(count);
    for (let c = 1; c < starts.length; c++) expect(starts[c]).toBeGreaterThan(starts[c - 1]);
  }
});
