// The fused sigmoid → pooling op gives what the two ops give, on the WebAssembly and the TypeScript kernels, and a
// LeNet step through it (training's path) gives the step through the separate ops (the receptive-field path).
import { afterAll, describe, expect, it } from 'vitest';
import { lenetSpec } from '../nets/lenet';
import { initParams } from '../nets/params';
import { lossAndGrads } from '../nets/run';
import { expectClose, randomTensor } from '../test-support/reference';
import { activation, activationBackward } from './activation';
import { pool2d, pool2dBackward, pool2dParams } from './pool2d';
import { sigmoidPool, sigmoidPoolBackward } from './sigmoid-pool';
import { setKernelPath } from './wasm/kernels';

describe.each(['wasm', 'ts'] as const)('sigmoid into pooling as one op (%s kernels)', (path) => {
  afterAll(() => void setKernelPath('wasm'));

  it.each([
    ['max 2×2/2 on LeNet\'s first maps', [8, 6, 28, 28], { mode: 'max' as const, kernel: 2 }],
    ['avg 3×3/2 with padding, ragged edges', [3, 5, 13, 11], { mode: 'avg' as const, kernel: 3, stride: 2, padding: 1 }],
    ['max 2×2/2 on a map too small to fuse', [1, 2, 4, 4], { mode: 'max' as const, kernel: 2 }],
  ])('%s: the same maps, and the gradient within float32 rounding', (_, shape, options) => {
    expect(setKernelPath(path)).toBe(path);
    const p = pool2dParams(options);
    const x = randomTensor(shape, 11, -6, 6);
    const { y, pooled } = sigmoidPool(x, p);
    const ySeparate = activation(x, 'sigmoid');
    expect(Array.from(y.data)).toEqual(Array.from(ySeparate.data));
    expect(Array.from(pooled.data)).toEqual(Array.from(pool2d(ySeparate, p).data));
    const g = randomTensor([...pooled.shape], 12);
    const want = activationBackward(x, ySeparate, pool2dBackward(ySeparate, g, p), 'sigmoid');
    expectClose(sigmoidPoolBackward(x, y, g, p).data, want.data, 'input gradient', 1e-6);
  });

  it('refuses a non-finite input by name and index, as σ and pooling apart would', () => {
    expect(setKernelPath(path)).toBe(path);
    const x = randomTensor([8, 6, 28, 28], 13);
    x.data[30000] = NaN;
    expect(() => sigmoidPool(x, pool2dParams({ mode: 'max', kernel: 2 }))).toThrow('input contains NaN at index 30000');
  });

  it('a LeNet step fused (training) and unfused (asking for every layer as a Var) agrees within 1e-5', () => {
    expect(setKernelPath(path)).toBe(path);
    const spec = lenetSpec({ activation: 'sigmoid', pooling: 'max', channels: [6, 16] });
    const params = initParams(spec, { seed: 3 });
    const x = randomTensor([16, 1, 28, 28], 4, 0, 1);
    const labels = Int32Array.from({ length: 16 }, (_, i) => i % 10);
    const fused = lossAndGrads(spec, params, x, labels, { mode: 'train' });
    const separate = lossAndGrads(spec, params, x, labels, { mode: 'train', onLayerVar: () => undefined });
    expect(Math.abs(fused.loss - separate.loss)).toBeLessThanOrEqual(1e-6);
    for (const [name, g] of separate.grads) expectClose(fused.grads.get(name)!, g, name, 1e-5);
  });
});
