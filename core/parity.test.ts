/** Every reference case computed with PyTorch (shared/reference), checked value by value with expectClose. */
import { describe, it } from 'vitest';
import { gradientSupport } from './conformance';
import { probeChecked, probeUnit } from './lab/probe';
import { checkStack } from './lab/stack';
import { createTrainer } from './lab/trainer';
import type { MapData } from './lab/types';
import { conv2d, conv2dBackward } from './ops/conv2d';
import { pool2d, pool2dBackward, type PoolMode } from './ops/pool2d';
import { clipBox } from './receptive-field';
import { expectClose, fromRef, referenceCases, type RefTensor } from './test-support/reference';
import { onEachKernelPath } from './test-support/kernel-paths';

type P = [number, number];
interface SeedCase { id: string; op: string; x: RefTensor; k: RefTensor; y: RefTensor }
interface ConvCase { id: string; stride: P; padding: P; dilation: P; input: RefTensor; weight: RefTensor; bias: RefTensor; output: RefTensor; grad_output: RefTensor; grad_input: RefTensor; grad_weight: RefTensor; grad_bias: RefTensor }
interface PoolCase { id: string; mode: PoolMode; kernel: P; stride: P; padding: P; count_include_pad?: boolean; input: RefTensor; output: RefTensor; grad_output: RefTensor; grad_input: RefTensor }
interface LearnCase { id: string; x: RefTensor; y: RefTensor; kernel: P; init_weight: RefTensor; bias: number; bias_updated: boolean; lr: number; iterations: number; loss: number[]; weight: number[][]; final_weight: RefTensor; final_loss: number }
type RefBox = { top: number; left: number; bottom: number; right: number };
interface RfCase {
  id: string; input_size: P; layers: { type: string; kernel: P; stride: P; padding: P; dilation: P }[];
  per_layer: { layer: number; output_size: P; size: P; jump: P; start: P; center: P; effective_padding: P }[];
  units: { unit: P; analytic_box: RefBox; analytic_box_clipped: RefBox; box: RefBox; gradient_box: RefBox; gradient_count: number; dense: boolean }[];
}
const box = (b: RefBox) => [b.top, b.left, b.bottom, b.right];

onEachKernelPath(() => {
  describe('seed cases: the arrays the book prints', () => {
    for (const c of referenceCases<SeedCase>('seed_cases')) {
      it(c.id, () => {
        const x = fromRef(c.x), k = fromRef(c.k);
        const xs = x.shape.length === 2 ? [1, 1, ...x.shape] : [1, ...x.shape];
        const ks = k.shape.length === 2 ? [1, 1, ...k.shape] : k.shape.length === 3 ? [1, ...k.shape] : k.shape;
        const y = conv2d({ shape: xs, data: x.data }, { shape: ks, data: k.data }, null, { flip: c.op === 'conv2d_flipped' });
        expectClose({ shape: y.shape.slice(4 - c.y.shape.length), data: y.data }, c.y, 'y');
      });
    }
  });

  describe('conv2d cases: output and the three gradients', () => {
    for (const c of referenceCases<ConvCase>('conv2d')) {
      it(c.id, () => {
        const o = { stride: c.stride, padding: c.padding, dilation: c.dilation };
        const x = fromRef(c.input), w = fromRef(c.weight), b = fromRef(c.bias).data;
        expectClose(conv2d(x, w, b, o), c.output, 'output');
        const g = conv2dBackward(x, w, fromRef(c.grad_output), o);
        expectClose(g.gradInput, c.grad_input, 'grad_input');
        expectClose(g.gradWeight, c.grad_weight, 'grad_weight');
        expectClose(g.gradBias, c.grad_bias.data, 'grad_bias');
      });
    }
  });

  describe('pool2d cases: output and input gradient', () => {
    for (const c of referenceCases<PoolCase>('pool2d')) {
      it(c.id, () => {
        const o = { mode: c.mode, kernel: c.kernel, stride: c.stride, padding: c.padding, countIncludePad: c.count_include_pad ?? true };
        const x = fromRef(c.input);
        expectClose(pool2d(x, o), c.output, 'output');
        expectClose(pool2dBackward(x, fromRef(c.grad_output), o), c.grad_input, 'grad_input');
      });
    }
  });

  describe('kernel learning: the whole trajectory', () => {
    for (const c of referenceCases<LearnCase>('kernel_learning')) {
      it(c.id, () => {
        const t = createTrainer({
          x: fromRef(c.x) as MapData, y: fromRef(c.y) as MapData, kernel: c.kernel, initWeight: fromRef(c.init_weight).data,
          initBias: c.bias, learnBias: c.bias_updated, lr: c.lr, iterations: c.iterations, flip: false,
        });
        for (let i = 0; i < c.iterations; i++) {
          const s = t.step();
          expectClose([s.loss], [c.loss[i]], `loss ${i + 1}`);
          expectClose(s.weight, c.weight[i], `weight ${i + 1}`);
          if (i === c.iterations - 1) {
            expectClose(s.weight, c.final_weight.data, 'final weight');
            expectClose([t.lossAt(s.weight, s.bias)], [c.final_loss], 'final loss');
          }
        }
      });
    }
  });

  describe('receptive fields: arithmetic, boxes and gradient support', () => {
    for (const c of referenceCases<RfCase>('receptive_field')) {
      it(c.id, () => {
        const [h, w] = c.input_size;
        const input: MapData = { shape: [1, 1, h, w], data: new Float32Array(h * w).fill(1) };
        const layers = c.layers.map((l) => l.type === 'conv'
          ? { type: 'conv2d' as const, inChannels: 1, outChannels: 1, kernel: l.kernel, weight: { shape: [1, 1, l.kernel[0], l.kernel[1]] as [number, number, number, number], data: new Float32Array(l.kernel[0] * l.kernel[1]).fill(1) }, bias: new Float32Array(1), stride: l.stride, padding: l.padding, dilation: l.dilation, flip: false }
          : { type: 'avgpool' as const, kernel: l.kernel, stride: l.stride, padding: l.padding, countIncludePad: true });
        // VGG-16 to pool5 has 18 layers, more than the app allows; the arithmetic does not care.
        const checked = checkStack(input.shape, layers, Infinity);
        const last = layers.length - 1;
        const probe = layers.length <= 16 ? (y: number, x: number) => probeUnit(input, layers, last, { c: 0, y, x })
          : (y: number, x: number) => probeChecked(input, checked, last, { c: 0, y, x });
        const fields = probe(0, 0).perLayer;
        for (const p of c.per_layer) {
          const f = fields[p.layer - 1];
          expectClose([...checked[p.layer - 1].output.slice(2), ...f.size, ...f.jump, ...f.start, ...f.center, ...f.effectivePadding],
            [...p.output_size, ...p.size, ...p.jump, ...p.start, ...p.center, ...p.effective_padding], `layer ${p.layer}`);
        }
        for (const u of c.units) {
          const r = probe(u.unit[0], u.unit[1]);
          const g = gradientSupport(r.gradient.data, h, w);
          expectClose([...box(r.analyticBox), ...box(clipBox(r.analyticBox, h, w)), ...box(r.boxes[0]), ...box(g.box), g.count, Number(g.dense)],
            [...box(u.analytic_box), ...box(u.analytic_box_clipped), ...box(u.box), ...box(u.gradient_box), u.gradient_count, Number(u.dense)], `unit ${u.unit}`);
        }
      });
    }
  });
});
