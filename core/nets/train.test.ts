import { describe, expect, it } from 'vitest';
import type { LabelledImages } from '../data/idx';
import { mulberry32 } from '../random';
import { onEachKernelPath } from '../test-support/kernel-paths';
import { lossAndGrads } from './run';
import { bookLine, fixed, runTraining, Training } from './train';
import { BOOK_SETTINGS, checkTrainSettings, type TrainSettings } from './catalogue';
import { cloneParams } from './params';

/** `n` 28×28 images of two kinds: class 0 bright in the top half, class 1 in the bottom half, with noise. */
function halves(n: number, seed: number): LabelledImages {
  const next = mulberry32(seed);
  const pixels = new Uint8Array(n * 784), labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let p = 0; p < 784; p++) {
      const top = p < 392;
      pixels[i * 784 + p] = Math.floor((top === (labels[i] === 0) ? 150 : 0) + 100 * next());
    }
  }
  return { count: n, rows: 28, cols: 28, pixels, labels };
}

const quick: TrainSettings = { ...BOOK_SETTINGS.lenet, activation: 'relu', lr: 0.3, batchSize: 32, epochs: 2, seed: 5 };

describe("train_ch5's line", () => {
  it("prints the book's format, rounding ties to even as Python's % does", () => {
    expect(bookLine({ epoch: 1, loss: 2.32024, trainAcc: 0.1021, testAcc: 0.1, seconds: 1.84 }))
      .toBe('epoch 1, loss 2.3202, train acc 0.102, test acc 0.100, time 1.8 sec');
    expect(fixed(0.0625, 3)).toBe('0.062');
    expect(fixed(1.25, 1)).toBe('1.2');
    expect(fixed(0.754, 3)).toBe('0.754');
  });
});

// Batch norm runs on the WebAssembly kernels where they load: BN-LeNet trains on both paths.
onEachKernelPath(() => {
  describe('training a BN-LeNet', () => {
    it("trains 5.10's BN-LeNet with the book's lr 1.0, its moving statistics starting at 0 and moving", async () => {
      const training = new Training({ ...BOOK_SETTINGS.bn_lenet, batchSize: 32, epochs: 1, seed: 2 }, halves(256, 1), halves(100, 2));
      expect(Array.from(training.params.get('1.moving_var')!.data)).toEqual([0, 0, 0, 0, 0, 0]);
      const outcome = await runTraining(training);
      expect(outcome.status).toBe('finished');
      expect(training.params.get('1.moving_var')!.data.every((v) => v > 0)).toBe(true);
      expect(outcome.epochs[0].testAcc).toBeGreaterThan(0.9);
    });
  });
});

describe('training a LeNet', () => {
  it('learns a two-class task, reporting every batch and an epoch line per epoch', async () => {
    const training = new Training(quick, halves(256, 1), halves(100, 2));
    const batches: number[] = [], lines: string[] = [];
    const outcome = await runTraining(training, { onBatch: (p) => batches.push(p.batch), onEpoch: (e) => lines.push(e.line) });
    expect(outcome.status).toBe('finished');
    expect(batches).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^epoch 2, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec$/);
    expect(outcome.epochs[1].testAcc).toBeGreaterThan(0.9);
  });

  it('the same seed gives the same run', async () => {
    const a = new Training({ ...quick, epochs: 1 }, halves(64, 1), halves(20, 2)), b = new Training({ ...quick, epochs: 1 }, halves(64, 1), halves(20, 2));
    await runTraining(a);
    await runTraining(b);
    expect(Array.from(a.params.get('0.weight')!.data)).toEqual(Array.from(b.params.get('0.weight')!.data));
  });

  it('divides the last, short batch by the full batch size (trainer.step(batch_size))', () => {
    // Five identical images: the second batch holds one, and its update must be lr·g/4, not lr·g.
    const one = halves(1, 1);
    const set: LabelledImages = { count: 5, rows: 28, cols: 28, pixels: new Uint8Array(5 * 784), labels: new Uint8Array(5) };
    for (let i = 0; i < 5; i++) set.pixels.set(one.pixels, i * 784);
    const training = new Training({ ...quick, batchSize: 4, epochs: 1 }, set, set);
    training.step();
    const before = cloneParams(training.params);
    const x = { shape: [1, 1, 28, 28], data: Float32Array.from(one.pixels, (v) => v / 255) };
    const g = lossAndGrads(training.spec, before, x, Int32Array.of(0), { mode: 'train', gradDivisor: 1 }).grads.get('10.bias')!;
    training.step();
    const after = training.params.get('10.bias')!.data, b0 = before.get('10.bias')!.data;
    for (let i = 0; i < 10; i++) expect(after[i]).toBeCloseTo(b0[i] - (quick.lr * g[i]) / 4, 6);
  });

  it('stops between batches when asked, waits while paused, and keeps what it learned', async () => {
    const training = new Training(quick, halves(256, 1), halves(20, 2));
    let seen = 0, waits = 0;
    const outcome = await runTraining(training, { onBatch: () => seen++ }, {
      stopRequested: () => seen === 3,
      resumed: () => { waits++; return Promise.resolve(); },
    });
    expect(outcome.status).toBe('stopped');
    expect(seen).toBe(3);
    expect(waits).toBe(4);
    expect(training.position).toEqual({ epoch: 1, batch: 4 });
  });

  it('stops a diverging run with a message that says so, keeping its history', async () => {
    const training = new Training({ ...quick, lr: 1e30, epochs: 2 }, halves(64, 1), halves(20, 2));
    const outcome = await runTraining(training);
    expect(outcome.status).toBe('diverged');
    expect(outcome.message).toMatch(/^training diverged at epoch \d, batch \d and was stopped \(.*(NaN|Infinity).*\); try a smaller learning rate$/);
    expect(outcome.epochs.length).toBeLessThan(2);
  });

  it('refuses settings outside their rules and images that are not 28×28', () => {
    expect(() => checkTrainSettings({ ...quick, lr: 0 })).toThrow('learning rate must be a positive number, got 0');
    expect(() => checkTrainSettings({ ...quick, batchSize: 0 })).toThrow('batch size must be a whole number from 1 to 1024, got 0');
    expect(() => checkTrainSettings({ ...quick, momentum: 1 })).toThrow('momentum must be in [0, 1), got 1');
    expect(() => checkTrainSettings({ ...quick, channels: [6, 65] })).toThrow('channels must be two whole numbers from 1 to 64, got [6,65]');
    const small = { count: 1, rows: 8, cols: 8, pixels: new Uint8Array(64), labels: new Uint8Array(1) };
    expect(() => new Training(quick, small, small)).toThrow('LeNet reads 28×28 images, but the training images are 8×8');
  });
});
