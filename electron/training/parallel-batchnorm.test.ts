// Synchronised batch norm: BN-LeNet's batches split between a leader (this thread) and helpers that are real engine
// workers (TypeScript through tsx), their chunks exchanging batch norm's sums at barriers in shared memory. Each
// split step equals one worker's within float rounding: the batch's gradients and loss, and after several steps
// (the short last batch and the epoch's test pass included) the weights and the moving statistics. A member that
// is gone mid-exchange ends the step with an error, not a hang.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, test } from 'vitest';
import { onEachKernelPath } from '../../core/test-support/kernel-paths';
import { batchGradients, Training, type BatchGradients } from '../../core/nets/train';
import { BOOK_SETTINGS, type TrainSettings } from '../../core/nets/catalogue';
import { CONTROL_WORDS, barrier, raiseAlarm, SharedBatchStats, TEAM_LOST } from './batch-stats-barrier';
import { FAILED } from './chunk-claims';
import { createEngineHost } from '../engine/engine-host';
import { GradientTeam, teamStepper } from './parallel-training';
import { randomImages } from './random-dataset.test-helper';

const execArgv = ['--import', 'tsx'];
const file = new URL('../engine/engine-worker.ts', import.meta.url);
/** Two engine workers on each kernel path, each started when first asked. */
const hosts = { ts: [0, 1].map(() => createEngineHost(file, { execArgv, kernels: 'ts' })), wasm: [0, 1].map(() => createEngineHost(file, { execArgv, kernels: 'wasm' })) };
afterAll(() => Promise.all([...hosts.ts, ...hosts.wasm].map((h) => h.close())));

/** A port to each of the first `helpers` engine workers on kernel path `path`, which now serve batch chunks over it. */
async function helperPorts(path: 'ts' | 'wasm', helpers: number): Promise<MessagePort[]> {
  return Promise.all(hosts[path].slice(0, helpers).map(async (host) => {
    const { port1, port2 } = new MessageChannel();
    expect(await host.helpTrain(port2)).toBe(path);
    return port1;
  }));
}

/** Largest |a − b| / max(1, |b|) over two arrays of the same length. */
function worstGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

const bnSettings: TrainSettings = { ...BOOK_SETTINGS.bn_lenet, batchSize: 32, epochs: 2 };

// The leader (this thread) and its helpers on the same kernel path, each path in turn.
onEachKernelPath((path) => {
  describe.each([1, 2])('BN-LeNet split over %i helper worker(s) and the leader', (helpers) => {
    // BN-LeNet's 4 batch norm layers; the scaled ResNet-18's 17, in residual bodies and shortcuts alike.
    test.each([['BN-LeNet', bnSettings, 8], ['ResNet-18 (widths ÷ 8)', { ...BOOK_SETTINGS.resnet18, batchSize: 16 }, 34]] as const)(
      "%s: one batch's gradients, loss and hits are one worker's, and so are the moving statistics it leaves", async (_, settings, movingSlots) => {
      const train = randomImages(64, 1), test = randomImages(10, 2);
      const one = new Training(settings, train, test), split = new Training(settings, train, test);
      const team = new GradientTeam(split.spec, settings.batchSize, [1, 28, 28], 10, await helperPorts(path, helpers));
      try {
        expect(team.size).toBe(helpers + 1);
        const got: { alone?: BatchGradients; shared?: BatchGradients } = {};
        // The batch the run takes: the split's gradients, and one worker's for the same images and weights.
        await split.stepWith(async (batch) => {
          got.alone = batchGradients(one.spec, one.params, batch.x!, batch.labels, one.batchOptions());
          return (got.shared = await team.gradients(batch, split.batchOptions(), split.params));
        });
        const { alone, shared } = got;
        if (alone === undefined || shared === undefined) throw new Error('the step took no batch');
        expect(shared.correct).toBe(alone.correct);
        expect(Math.abs(shared.lossSum - alone.lossSum)).toBeLessThanOrEqual(1e-5 * Math.abs(alone.lossSum));
        expect([...shared.grads.keys()].sort()).toEqual([...alone.grads.keys()].sort());
        // Without the exchange a chunk's gamma and the layers under a batch norm get other gradients altogether.
        for (const [path, g] of alone.grads) expect(worstGap(shared.grads.get(path)!, g), path).toBeLessThanOrEqual(1e-5);
        let moving = 0;
        for (const [path, t] of one.params) {
          if (!path.endsWith('moving_mean') && !path.endsWith('moving_var')) continue;
          moving++;
          expect(worstGap(split.params.get(path)!.data, t.data), path).toBeLessThanOrEqual(1e-6);
        }
        expect(moving).toBe(movingSlots);
      } finally {
        team.close();
      }
    });

    test('steps over an epoch and a half, with momentum, train the weights and moving statistics one worker trains', async () => {
      // 100 images in batches of 32: three full batches and one of 4 (two threads take 2 each, three take 1, 1 and 2).
      const settings: TrainSettings = { ...bnSettings, momentum: 0.9, lr: 0.5 };
      const train = randomImages(100, 3), test = randomImages(20, 4);
      const one = new Training(settings, train, test), split = new Training(settings, train, test);
      const stepper = teamStepper(split, await helperPorts(path, helpers));
      expect(stepper).toMatchObject({ threads: helpers + 1, refusal: null });
      try {
        for (let s = 0; s < 6; s++) {
          const a = one.step(), b = await stepper.step(split);
          expect(b.progress).toMatchObject({ epoch: a.progress.epoch, batch: a.progress.batch, acc: a.progress.acc });
          expect(Math.abs(b.progress.loss - a.progress.loss), `step ${s + 1}`).toBeLessThanOrEqual(1e-5 * Math.max(1, a.progress.loss));
          expect(b.epoch?.testAcc).toBe(a.epoch?.testAcc);
        }
      } finally {
        stepper.close();
      }
      expect(Array.from(split.testPredictions!)).toEqual(Array.from(one.testPredictions!));
      for (const [path, t] of one.params) expect(worstGap(split.params.get(path)!.data, t.data), path).toBeLessThanOrEqual(1e-5);
    });
  });
});

describe('a member waiting at a batch norm barrier', () => {
  /** A member's exchange in a run of two whose other member never comes. */
  function waitingMember() {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4)), alarm = new Int32Array(new SharedArrayBuffer(4));
    const stats = new SharedBatchStats(control, alarm, new Float64Array(new SharedArrayBuffer(2 * 2 * 5 * 8)), 5, 0, 2);
    return { control, alarm, stats };
  }

  /** Another thread that, after `ms`, sets word `index` of `words` and wakes whoever waits on `wake` (as a dying team's watcher would). */
  function later(ms: number, words: Int32Array, index: number, wake?: { array: Int32Array; index: number }) {
    const worker = new Worker(`
      const { workerData: d } = require('node:worker_threads');
      setTimeout(() => {
        Atomics.store(d.words, d.index, 1);
        if (d.wake) Atomics.notify(d.wake.array, d.wake.index);
      }, d.ms);`, { eval: true, workerData: { ms, words, index, wake } });
    return new Promise((done) => worker.once('exit', done));
  }

  test('gives up with "a worker stopped" once the alarm is raised, within a short bound', async () => {
    const { alarm, stats } = waitingMember();
    const raised = later(100, alarm, 0);
    const t0 = performance.now();
    expect(() => stats.total(Float64Array.of(1, 2, 3))).toThrow(TEAM_LOST);
    expect(performance.now() - t0).toBeLessThan(5000);
    await raised;
  });

  test('gives up when another chunk has failed', async () => {
    const { control, stats } = waitingMember();
    const failed = later(100, control, FAILED);
    expect(() => stats.total(Float64Array.of(1, 2, 3))).toThrow("another thread's slice of this batch failed");
    await failed;
  });

  test('an alarm raised before the wait is seen at once', () => {
    const { control, alarm } = waitingMember();
    raiseAlarm(alarm);
    expect(() => barrier(control, alarm, 2)).toThrow(TEAM_LOST);
  });
});
