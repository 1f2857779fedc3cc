/** Finite-difference checks of the ops chapter 5 adds: batch norm, dropout, concat, add, global average pooling. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { onEachKernelPath } from '../test-support/kernel-paths';
import { dot, expectGradClose, numericGrad, randomTensor } from '../test-support/reference';
import { activation, sigmoid } from './activation';
import { batchNorm, batchNormBackward, updateMovingStats, type BatchNormMode } from './batchnorm';
import { dropout, dropoutBackward } from './dropout';
import { globalAvgPool, globalAvgPoolBackward } from './global-avg-pool';
import { addTensors, addTensorsBackward, concatChannels, concatChannelsBackward } from './join';

// Batch norm's loops have WebAssembly twins (batchnorm-wasm.ts): both paths must pass.
onEachKernelPath(() => {
  describe('batch norm', () => {
    for (const [mode, shape] of [['train', [3, 2, 3, 4]], ['train', [6, 5]], ['predict', [2, 3, 2, 2]], ['predict', [4, 3]]] as [BatchNormMode, number[]][]) {
      it(`${mode} ${shape.length}-D backward agrees with finite differences for x, gamma and beta`, () => {
        const c = shape[1];
        const x = randomTensor(shape, 1, -2, 2), r = randomTensor(shape, 2);
        const gamma = randomTensor([c], 3, 0.5, 1.5).data, beta = randomTensor([c], 4).data;
        const mm = randomTensor([c], 5).data, mv = randomTensor([c], 6, 0.5, 1.5).data;
        const f = () => dot(batchNorm(x, gamma, beta, mm, mv, mode, 1e-5).y.data, r.data);
        const { saved } = batchNorm(x, gamma, beta, mm, mv, mode, 1e-5);
        const g = batchNormBackward(x, gamma, saved, r);
        expectGradClose(g.gradInput.data, numericGrad(f, x.data, 1e-3), 'x', 5e-3);
        expectGradClose(g.gradGamma, numericGrad(f, gamma, 1e-3), 'gamma', 5e-3);
        expectGradClose(g.gradBeta, numericGrad(f, beta, 1e-3), 'beta', 5e-3);
      });
    }

    it('normalises each channel to mean 0 and biased variance 1 in training, and moves the moving statistics by 0.1', () => {
      const x = randomTensor([4, 2, 3, 3], 7, 2, 4);
      const one = Float32Array.of(1, 1), zero = Float32Array.of(0, 0);
      const mm = Float32Array.of(0, 0), mv = Float32Array.of(1, 1);
      const { y, saved } = batchNorm(x, one, zero, mm, mv, 'train', 0);
      for (let ch = 0; ch < 2; ch++) {
        const v: number[] = [];
        for (let b = 0; b < 4; b++) for (let i = 0; i < 9; i++) v.push(y.data[(b * 2 + ch) * 9 + i]);
        const mean = v.reduce((a, b) => a + b) / v.length;
        expect(mean).toBeCloseTo(0, 5);
        expect(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length).toBeCloseTo(1, 4);
      }
      updateMovingStats(saved, mm, mv, 0.9);
      expect(mm[0]).toBeCloseTo(0.1 * saved.mean[0], 6);
      expect(mv[1]).toBeCloseTo(0.9 + 0.1 * saved.variance[1], 6);
    });

    it('refuses an input whose channels disagree with gamma', () => {
      expect(() => batchNorm(randomTensor([2, 3], 1), new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2), 'train', 1e-5))
        .toThrow('batch norm has 2 channels but the input has 3');
    });
  });
});

describe('dropout', () => {
  it('keeps about 1 − rate of the values, scaled by 1/(1 − rate), and the same seed gives the same mask', () => {
    const x = randomTensor([50, 40], 1);
    const a = dropout(x, 0.3, mulberry32(5)), b = dropout(x, 0.3, mulberry32(5));
    expect(Array.from(a.mask)).toEqual(Array.from(b.mask));
    const kept = a.mask.filter((m) => m !== 0);
    expect(kept.length / x.data.length).toBeGreaterThan(0.65);
    expect(kept.length / x.data.length).toBeLessThan(0.75);
    expect(kept[0]).toBeCloseTo(1 / 0.7, 6);
  });

  it('backward agrees with finite differences under a fixed mask', () => {
    const x = randomTensor([3, 4, 2, 2], 2), r = randomTensor([3, 4, 2, 2], 3);
    const f = () => dot(dropout(x, 0.5, mulberry32(9)).y.data, r.data);
    const { mask } = dropout(x, 0.5, mulberry32(9));
    expectGradClose(dropoutBackward(mask, r).data, numericGrad(f, x.data, 1e-3), 'x');
  });

  it('refuses a rate outside [0, 1)', () => {
    expect(() => dropout(randomTensor([2], 1), 1, Math.random)).toThrow('dropout rate must be in [0, 1), got 1');
  });
});

describe('concat and add', () => {
  it('concat backward agrees with finite differences for every input', () => {
    const xs = [randomTensor([2, 1, 3, 3], 1), randomTensor([2, 3, 3, 3], 2), randomTensor([2, 2, 3, 3], 3)];
    const r = randomTensor([2, 6, 3, 3], 4);
    const f = () => dot(concatChannels(xs).data, r.data);
    const g = concatChannelsBackward(xs.map((t) => t.shape), r);
    xs.forEach((t, k) => expectGradClose(g[k].data, numericGrad(f, t.data, 1e-3), `input ${k}`));
  });

  it('add backward agrees with finite differences for every input', () => {
    const xs = [randomTensor([2, 3, 2], 1), randomTensor([2, 3, 2], 2)];
    const r = randomTensor([2, 3, 2], 4);
    const f = () => dot(addTensors(xs).data, r.data);
    const g = addTensorsBackward(2, r);
    xs.forEach((t, k) => expectGradClose(g[k].data, numericGrad(f, t.data, 1e-3), `input ${k}`));
  });

  it('refuses inputs that do not line up, naming the input', () => {
    expect(() => concatChannels([randomTensor([1, 2, 3, 3], 1), randomTensor([1, 2, 4, 3], 1)]))
      .toThrow('concat input 2 has shape 1×2×4×3, which does not match 1×2×3×3 except in channels');
    expect(() => addTensors([randomTensor([1, 2], 1), randomTensor([1, 3], 1)])).toThrow('add input 2 has shape 1×3 but input 1 has 1×2');
  });
});

describe('global average pooling', () => {
  it('backward agrees with finite differences', () => {
    const x = randomTensor([2, 3, 4, 5], 1), r = randomTensor([2, 3, 1, 1], 2);
    const f = () => dot(globalAvgPool(x).data, r.data);
    expectGradClose(globalAvgPoolBackward(x.shape, r).data, numericGrad(f, x.data, 1e-3), 'x');
  });
});

describe('sigmoid', () => {
  it('stays finite and exact at the extremes, where exp overflows', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-100)).toBeCloseTo(3.720075976020836e-44, 50);
    const y = activation({ shape: [3], data: Float32Array.of(-89, 0, 89) }, 'sigmoid').data;
    expect(Array.from(y).every(Number.isFinite)).toBe(true);
  });
});
