import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { dot, expectGradClose, numericGrad, randomTensor } from '../test-support/reference';
import { BOOK_BN_LENET, lenetSpec } from './lenet';
import type { NetSpec } from './model';
import { checkParams, cloneParams, initParams, learnableCount, paramSlots } from './params';
import { predictImage } from './predict-image';
import { lossAndGrads, predict, unitInputGradient } from './run';

describe('parameters', () => {
  it("counts the book's LeNet at 44,426 and BN-LeNet at 44,878 learnable values", () => {
    expect(learnableCount(lenetSpec())).toBe(44_426);
    expect(learnableCount(lenetSpec(BOOK_BN_LENET))).toBe(44_878);
  });

  it("draws Gluon's Xavier weights (uniform within sqrt(3 / fan average)), zero biases and BN's constants, reproducibly", () => {
    const spec = lenetSpec(BOOK_BN_LENET);
    const p = initParams(spec, { seed: 7, movingVar: 0 });
    const bounds: Record<string, number> = { '0.weight': 0.18516, '4.weight': 0.10445, '8.weight': 0.12632, '11.weight': 0.17150, '14.weight': 0.25265 };
    for (const [path, s] of Object.entries(bounds)) {
      const d = p.get(path)!.data;
      const max = d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max, path).toBeLessThanOrEqual(s + 1e-5);
      expect(max, path).toBeGreaterThan(0.9 * s);
    }
    expect(Array.from(p.get('0.bias')!.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(p.get('1.gamma')!.data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(p.get('1.moving_var')!.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(initParams(spec, { seed: 7 }).get('1.moving_var')!.data[0]).toBe(1);
    expect(Array.from(initParams(spec, { seed: 7 }).get('8.weight')!.data)).toEqual(Array.from(p.get('8.weight')!.data));
    expect(Array.from(initParams(spec, { seed: 8 }).get('8.weight')!.data)).not.toEqual(Array.from(p.get('8.weight')!.data));
  });

  it('refuses parameters that are missing, misshapen, non-finite or belong to no layer, naming them', () => {
    const spec = lenetSpec();
    const p = initParams(spec, { seed: 1 });
    expect(() => checkParams(spec, p)).not.toThrow();
    const missing = cloneParams(p); missing.delete('6.bias');
    expect(() => checkParams(spec, missing)).toThrow('parameter 6.bias is missing');
    const shaped = cloneParams(p); shaped.set('0.weight', { shape: [6, 1, 3, 3], data: new Float32Array(54) });
    expect(() => checkParams(spec, shaped)).toThrow('parameter 0.weight has shape 6×1×3×3 but the network needs 6×1×5×5');
    const nan = cloneParams(p); nan.get('10.weight')!.data[3] = NaN;
    expect(() => checkParams(spec, nan)).toThrow('parameter 10.weight contains NaN at index 3');
    const extra = cloneParams(p); extra.set('99.weight', { shape: [1], data: new Float32Array(1) });
    expect(() => checkParams(spec, extra)).toThrow('parameter 99.weight belongs to no layer of the network');
  });
});

/** Every layer kind: conv, BN, residual with a 1×1 shortcut, concat of branches, dropout, pools, GAP, dense. */
const mixed: NetSpec = [
  { type: 'conv2d', inChannels: 2, outChannels: 3, kernel: [3, 3], stride: [1, 1], padding: [1, 1] },
  { type: 'batchnorm', channels: 3, momentum: 0.9, eps: 1e-5 },
  { type: 'tanh' },
  { type: 'residual', body: [
    { type: 'conv2d', inChannels: 3, outChannels: 4, kernel: [3, 3], stride: [2, 2], padding: [1, 1] },
    { type: 'batchnorm', channels: 4, momentum: 0.9, eps: 1e-5 },
  ], shortcut: [{ type: 'conv2d', inChannels: 3, outChannels: 4, kernel: [1, 1], stride: [2, 2], padding: [0, 0] }] },
  { type: 'concat', branches: [
    [{ type: 'conv2d', inChannels: 4, outChannels: 2, kernel: [1, 1], stride: [1, 1], padding: [0, 0] }, { type: 'sigmoid' }],
    [{ type: 'avgpool', kernel: [3, 3], stride: [1, 1], padding: [1, 1], countIncludePad: false }],
  ] },
  { type: 'dropout', rate: 0.25 },
  { type: 'global_avg_pool' },
  { type: 'dense', inFeatures: 6, outFeatures: 3 },
];

describe('running a network', () => {
  it('backpropagates to every parameter and to the input, agreeing with finite differences (train mode, dropout on)', () => {
    const params = initParams(mixed, { seed: 3 });
    const x = randomTensor([2, 2, 6, 6], 4, 0, 1), labels = Int32Array.of(2, 0);
    const run = () => lossAndGrads(mixed, params, x, labels, { mode: 'train', updateMovingStats: false, random: mulberry32(11), inputGrad: true, gradDivisor: 2 });
    const r = run();
    const f = () => run().loss;
    for (const slot of paramSlots(mixed).filter((s) => s.trainable)) {
      expectGradClose(r.grads.get(slot.path)!, numericGrad(f, params.get(slot.path)!.data, 1e-3), slot.path, 1e-2);
    }
    expectGradClose(r.inputGrad!.data, numericGrad(f, x.data, 1e-3), 'input', 1e-2);
  });

  it('in predict mode uses the moving statistics and drops no units, so repeated calls agree; training moves the statistics', () => {
    const params = initParams(mixed, { seed: 3 });
    const x = randomTensor([2, 2, 6, 6], 4, 0, 1);
    const a = predict(mixed, params, x), b = predict(mixed, params, x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(params.get('1.moving_mean')!.data.every((v) => v === 0)).toBe(true);
    lossAndGrads(mixed, params, x, Int32Array.of(0, 1), { mode: 'train', random: mulberry32(1), forwardOnly: true });
    expect(params.get('1.moving_mean')!.data.some((v) => v !== 0)).toBe(true);
    expect(Array.from(predict(mixed, params, x).data)).not.toEqual(Array.from(a.data));
  });

  it('names the layer when it refuses: a net trained with dropout needs a seeded random source', () => {
    const params = initParams(mixed, { seed: 3 });
    expect(() => lossAndGrads(mixed, params, randomTensor([1, 2, 6, 6], 1), Int32Array.of(0), { mode: 'train' }))
      .toThrow('layer 5 (dropout) needs a seeded random source in training');
    expect(() => predict(mixed, params, randomTensor([1, 3, 6, 6], 1))).toThrow(/^layer 0 \(conv2d\): weight expects 2 input channels but the input has 3/);
  });

  it("predicts one 28×28 image with LeNet: probabilities summing to 1 and every layer's output", () => {
    const spec = lenetSpec();
    const params = initParams(spec, { seed: 1 });
    const r = predictImage(spec, params, randomTensor([784], 2, 0, 1).data);
    expect(r.probabilities).toHaveLength(10);
    expect(r.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    expect(r.ranking[0]).toBe(r.probabilities.indexOf(Math.max(...r.probabilities)));
    expect(r.layers.map((l) => `${l.path} ${l.type} ${l.output.shape.join('×')}`)).toEqual([
      '0 conv2d 1×6×24×24', '1 sigmoid 1×6×24×24', '2 maxpool 1×6×12×12', '3 conv2d 1×16×8×8', '4 sigmoid 1×16×8×8', '5 maxpool 1×16×4×4',
      '6 dense 1×120', '7 sigmoid 1×120', '8 dense 1×84', '9 sigmoid 1×84', '10 dense 1×10',
    ]);
    expect(() => predictImage(spec, params, new Float32Array(100))).toThrow('the image has 100 values but 28×28 needs 784');
    expect(dot(r.probabilities, new Float32Array(10).fill(1))).toBeCloseTo(1, 5);
  });

  it("finds a unit's effective receptive field on the input: LeNet's second pooling unit (0, 0) reads the top-left 16×16", () => {
    const spec = lenetSpec({ activation: 'relu', pooling: 'avg' });
    const params = initParams(spec, { seed: 1 });
    for (const [k, t] of params) if (k.endsWith('.weight')) t.data.fill(0.1);
    const g = unitInputGradient(spec, params, randomTensor([1, 1, 28, 28], 2, 0.5, 1), '5', [0, 0, 0]);
    let bottom = -1, right = -1;
    g.data.forEach((v, i) => { if (v !== 0) { bottom = Math.max(bottom, Math.floor(i / 28)); right = Math.max(right, i % 28); } });
    expect([bottom, right]).toEqual([15, 15]);
    expect(g.data[0]).not.toBe(0);
    expect(() => unitInputGradient(spec, params, randomTensor([1, 1, 28, 28], 2), '5', [0, 4, 0])).toThrow("unit [0, 4, 0] is outside layer 5's output 16×4×4");
    expect(() => unitInputGradient(spec, params, randomTensor([1, 1, 28, 28], 2), '42', [0])).toThrow('the network has no layer 42');
  });
});
