import { describe, expect, it } from 'vitest';
import type { LabelledImages } from '../data/idx';
import { resizeBilinear } from '../data/resize';
import { mulberry32 } from '../random';
import { onEachKernelPath } from '../test-support/kernel-paths';
import { Training } from './train';
import { BOOK_SETTINGS, checkTrainSettings, SCALED_NETS, trainingNet, type TrainSettings } from './catalogue';

/** `n` 28×28 images of two kinds: class 0 bright in the left half, class 1 in the right half, with noise. */
function sides(n: number, seed: number): LabelledImages {
  const next = mulberry32(seed);
  const pixels = new Uint8Array(n * 784), labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let p = 0; p < 784; p++) pixels[i * 784 + p] = Math.floor(((p % 28 < 14) === (labels[i] === 0) ? 150 : 0) + 100 * next());
  }
  return { count: n, rows: 28, cols: 28, pixels, labels };
}

/** Losses of `steps` batches, each the whole small set (one batch an epoch), so they should fall step by step. */
function losses(settings: TrainSettings, steps: number): number[] {
  const set = sides(16, 3);
  const training = new Training({ ...settings, batchSize: 16, epochs: steps, seed: 1 }, set, sides(8, 4));
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(training.step().progress.loss);
  return out;
}

// ResNet-18's seventeen batch norms run on the WebAssembly kernels where they load: it learns on both paths.
onEachKernelPath(() => {
  describe('training a ResNet-18, scaled down', () => {
    it('a scaled-down ResNet-18 learns: the loss is finite and falls over a few steps', () => {
      const l = losses({ ...BOOK_SETTINGS.resnet18, divisor: 16 }, 4);
      expect(l.every(Number.isFinite)).toBe(true);
      expect(l[3]).toBeLessThan(l[0]);
    });
  });
});

describe('training the larger networks, scaled down', () => {
  it('builds ResNet-18 at 28×28 and NiN at 67×67 with widths ÷ divisor and 10 classes', () => {
    const resnet = trainingNet({ ...BOOK_SETTINGS.resnet18, divisor: 16 });
    expect(resnet.side).toBe(28);
    expect(resnet.spec[0]).toMatchObject({ type: 'conv2d', outChannels: 4 });
    expect(trainingNet(BOOK_SETTINGS.nin).side).toBe(SCALED_NETS.nin.side);
    const last = resnet.spec[resnet.spec.length - 1];
    expect(last).toMatchObject({ type: 'dense', outFeatures: 10 });
  });

  it('a scaled-down NiN (images enlarged to 67×67) learns: the loss is finite and falls over a few steps', () => {
    const l = losses({ ...BOOK_SETTINGS.nin, divisor: 16, lr: 0.1 }, 4);
    expect(l.every(Number.isFinite)).toBe(true);
    expect(l[3]).toBeLessThan(l[0]);
  });

  it('refuses a width divisor outside 1 to 64, naming it', () => {
    expect(() => checkTrainSettings({ ...BOOK_SETTINGS.resnet18, divisor: 0 })).toThrow(/width divisor must be a whole number from 1 to 64, got 0/);
    expect(() => checkTrainSettings({ ...BOOK_SETTINGS.resnet18, net: 'vgg' as never })).toThrow(/net must be one of lenet, bn_lenet, resnet18, nin, googlenet/);
  });

  it('enlarges images bilinearly: a constant stays constant, a step is blended at the edge', () => {
    const flat = new Float32Array(4).fill(0.5);
    expect(Array.from(resizeBilinear(flat, 1, 2, 4, new Float32Array(16)))).toEqual(new Array(16).fill(0.5));
    const step = Float32Array.from([0, 1, 0, 1]);
    expect(Array.from(resizeBilinear(step, 1, 2, 4, new Float32Array(16)).subarray(0, 4))).toEqual([0, 0.25, 0.75, 1]);
  });
});
