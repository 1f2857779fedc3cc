/**
 * Adding a layer kind is one file and one row: this file defines a toy kind ("smooth3", a learned 3×3 convolution
 * that keeps its input's channels and size), registers it, and sees every walker of networks take it as it is.
 */
import { describe, expect, it } from 'vitest';
import type { Pair } from '../geometry';
import { inferSpec } from '../nets/infer';
import type { NetSpec } from '../nets/model';
import { initParams, learnableCount } from '../nets/params';
import { probeBoxes } from '../nets/probe-boxes';
import { lossAndGrads, predict } from '../nets/run';
import { NetSgd } from '../nets/sgd';
import { nextField } from '../receptive-field';
import { denseLayer, flattenLayer, kindOf, registerLayerKind, type LeafKind } from './index';
import { needMap, windowReads } from './rules';

interface Smooth3Spec {
  type: 'smooth3';
  channels: number;
}

const WINDOW = { kernel: [3, 3] as Pair, stride: [1, 1] as Pair, padding: [1, 1] as Pair };

const smooth3: LeafKind<Smooth3Spec> = {
  type: 'smooth3',
  description: 'a learned 3×3 convolution, padded to keep the size',
  fromData: (d) => ({ type: 'smooth3', channels: Number(d.channels) }),
  infer(spec, st) {
    needMap(st.shape, 'smooth3');
    const [n, c, h, w] = st.shape;
    return { out: { ...st, field: nextField(st.field, { ...WINDOW, dilation: [1, 1] }) }, parameters: c * c * 9 + c, macs: n * c * h * w * c * 9 };
  },
  params: (spec) => [
    { role: 'weight', shape: [spec.channels, spec.channels, 3, 3], trainable: true, fanIn: spec.channels * 9, fanOut: spec.channels * 9 },
    { role: 'bias', shape: [spec.channels], trainable: true },
  ],
  forward: (t, _spec, x, ctx) => t.conv2d(x, ctx.param('weight'), ctx.param('bias'), { padding: [1, 1] }),
  reads: (_spec, box, grid) => windowReads(WINDOW, box, grid),
  keepsChannel: false,
  settings: (spec) => ({ channels: spec.channels, kernel: WINDOW.kernel }),
  text: (spec) => `smooth3 ${spec.channels}`,
};

registerLayerKind(smooth3);

// The toy is not a member of LayerSpec (the type checker knows only the table's own kinds): a cast stands for the union member a real kind adds.
const spec = [{ type: 'smooth3', channels: 2 }, { type: 'smooth3', channels: 2 }, flattenLayer(), denseLayer(2 * 6 * 6, 3)] as unknown as NetSpec;
const x = { shape: [4, 2, 6, 6], data: Float32Array.from({ length: 4 * 72 }, (_, i) => Math.sin(i * 0.37)) };
const labels = Int32Array.of(0, 1, 2, 1);

describe('a layer kind registered in one file', () => {
  it('is in the table, and a name already taken is refused', () => {
    expect(kindOf({ type: 'smooth3' }).description).toMatch(/3×3/);
    expect(() => registerLayerKind(smooth3)).toThrow("layer type 'smooth3' is already in the table");
  });

  it('infers its shape, parameters and multiply-adds (the price), and its receptive field', () => {
    const inf = inferSpec(spec, [4, 2, 6, 6]);
    expect(inf.rows.map((r) => r.output)).toEqual([[4, 2, 6, 6], [4, 2, 6, 6], [4, 72], [4, 3]]);
    expect(inf.rows[0].parameters).toBe(2 * 2 * 9 + 2);
    expect(inf.rows[0].macs).toBe(4 * 2 * 36 * 2 * 9);
    expect(inf.parameters).toBe(2 * 38 + 72 * 3 + 3);
    expect(learnableCount(spec)).toBe(inf.parameters);
    expect(inf.rows[1].field.size).toEqual([5, 5]);
    expect(kindOf(spec[0]).text(spec[0])).toBe('smooth3 2');
  });

  it('explores: a unit of the second one reads a 5×5 box of the image, clipped at its edge', () => {
    const inf = inferSpec(spec, [1, 2, 6, 6]);
    const boxes = probeBoxes({ spec, rows: inf.rows }, 1, { y: 0, x: 3 });
    expect(boxes[0]).toEqual({ top: 0, left: 1, bottom: 2, right: 5 });
    expect(boxes[1]).toEqual({ top: 0, left: 2, bottom: 1, right: 4 });
  });

  it('runs, and trains: the gradient reaches its weights and a step of SGD lowers the loss', () => {
    const params = initParams(spec, { seed: 3 });
    expect(predict(spec, params, x).shape).toEqual([4, 3]);
    const before = lossAndGrads(spec, params, x, labels, { mode: 'train' });
    const g = before.grads.get('0.weight')!;
    expect(g.length).toBe(36);
    expect(g.some((v) => v !== 0)).toBe(true);
    new NetSgd(spec, params, { lr: 0.1 }).step(before.grads);
    expect(lossAndGrads(spec, params, x, labels, { mode: 'train', forwardOnly: true }).loss).toBeLessThan(before.loss);
  });
});
