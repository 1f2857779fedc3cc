import { describe, expect, test } from 'vitest';
import { checkBudget, forwardCost, lossSurfaceCost, probeCost, trainingStepCost } from './budget';
import { LIMITS } from './limits';
import type { LabLayer } from './lab/types';

const conv = (ci: number, co: number, k: number, pad = 0): LabLayer => ({
  type: 'conv2d', outChannels: co, inChannels: ci, kernel: [k, k],
  weight: { shape: [co, ci, k, k], data: new Float32Array(co * ci * k * k) },
  bias: new Float32Array(co),
  stride: [1, 1],
  padding: [pad, pad],
  dilation: [1, 1],
  flip: false,
});

describe('the compute budget', () => {
  test('counts a conv as output values × input channels × kernel cells, from shapes alone', () => {
    // 6×8 input, 1×2 kernel (the book's edge detector): 6×7 outputs, 2 multiply-adds each.
    const edge: LabLayer = { ...conv(1, 1, 1), kernel: [1, 2], weight: { shape: [1, 1, 1, 2], data: new Float32Array(2) } } as LabLayer;
    expect(forwardCost([1, 1, 6, 8], [edge])).toEqual({ multiplyAdds: 84, outputValues: 42 });
    // 3→8 channels, 3×3 padded on 32×32, then a 2×2 max pool and a ReLU.
    const stack: LabLayer[] = [conv(3, 8, 3, 1), { type: 'maxpool', kernel: [2, 2], stride: [2, 2], padding: [0, 0] }, { type: 'relu' }];
    const convMacs = 8 * 32 * 32 * 3 * 9;
    expect(forwardCost([1, 3, 32, 32], stack)).toEqual({ multiplyAdds: convMacs + 8 * 16 * 16 * 4 + 8 * 16 * 16, outputValues: 8 * 32 * 32 + 2 * 8 * 16 * 16 });
    expect(probeCost([1, 3, 32, 32], stack, 0)).toEqual({ multiplyAdds: 3 * convMacs, outputValues: 3 * 32 * 32 });
  });

  test('the largest stack the contract accepts is refused, stating its cost and the limit', () => {
    const layers = Array.from({ length: LIMITS.maxLayers }, () => conv(LIMITS.maxChannels, LIMITS.maxChannels, LIMITS.maxKernelSide, 5));
    const cost = forwardCost([1, LIMITS.maxChannels, 256, 256], layers);
    expect(cost.multiplyAdds).toBeGreaterThan(LIMITS.maxMultiplyAdds);
    expect(() => checkBudget(cost, 'this forward pass')).toThrow(/this forward pass needs [\d.]+ billion multiply-adds; the limit is 10\.0 billion per request/);
    try {
      checkBudget(cost, 'this forward pass');
    } catch (error) {
      expect(error).toMatchObject({ code: 'limit' });
    }
  });

  test('an answer with too many values is refused on its own grounds', () => {
    // 16 cheap 1×1 convs to 64 channels of 512×512: 16 × 16.8 M values, few multiply-adds per value.
    const layers = [conv(1, 64, 1), ...Array.from({ length: 15 }, (): LabLayer => ({ type: 'relu' }))];
    const cost = forwardCost([1, 1, 512, 512], layers);
    expect(cost.multiplyAdds).toBeLessThan(LIMITS.maxMultiplyAdds);
    expect(() => checkBudget(cost, 'this forward pass')).toThrow(/would answer 268 million values; the limit is 33\.6 million per answer/);
  });

  test('what the app asks every day is well inside the budget', () => {
    const app = [conv(1, 4, 3, 1), conv(4, 8, 3, 1), conv(8, 8, 3, 1)];
    expect(() => checkBudget(forwardCost([1, 1, 128, 128], app), 'x')).not.toThrow();
    expect(() => checkBudget(probeCost([1, 1, 128, 128], app, 2), 'x')).not.toThrow();
    expect(() => checkBudget(trainingStepCost([1, 1, 512, 512], [11, 11]), 'x')).not.toThrow();
    expect(() => checkBudget(lossSurfaceCost([1, 1, 512, 512], [1, 2], 128), 'x')).not.toThrow();
  });
});
