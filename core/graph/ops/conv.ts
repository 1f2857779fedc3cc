/**
 * Conv on the engine's conv2d kernel (groups and depthwise included; asymmetric pads pad the input first), and
 * ConvTranspose, scattered directly in TypeScript.
 */
import { ConvLabError } from '../../errors';
import { conv2d } from '../../ops/conv2d';
import { sizeOf, type Tensor } from '../../tensor';
import { intAttr, intsAttr } from './attrs';
import type { GraphOp, GraphWindow, OpContext } from './graph-op';
import { windowOf, windowShape } from './window';
import { zeroPad } from './pad';

const CONV_ATTRIBUTES = ['kernel_shape', 'strides', 'dilations', 'pads', 'auto_pad', 'group'];

function groupsOf(c: OpContext, x: readonly number[], w: readonly number[], transpose: boolean): number {
  const g = intAttr(c.attrs, 'group', 1);
  if (x.length !== 4 || w.length !== 4) throw new ConvLabError('shape', `input ${x.join('×')} and weight ${w.join('×')}: ConvLab runs 2-D convolutions (rank 4)`);
  const cin = transpose ? w[0] : w[1] * g;
  if (g < 1 || x[1] % g !== 0 || cin !== x[1]) throw new ConvLabError('shape', `group ${g}: the input's ${x[1]} channels do not fit a weight of ${w.join('×')}`);
  return g;
}

function convRun(x: Tensor, w: Tensor, b: Tensor | undefined, win: GraphWindow, groups: number): Tensor {
  const [t, l, bt, r] = win.pads;
  const symmetric = t === bt && l === r;
  // core's conv2d pads both sides alike: asymmetric pads are added to the input first.
  const input = symmetric ? x : zeroPad(x, [0, 0, t, l, 0, 0, bt, r]);
  const padding: [number, number] = symmetric ? [t, l] : [0, 0];
  return conv2d(input, w, b?.data ?? null, { stride: win.stride, padding, dilation: win.dilation, groups });
}

export const convOp: GraphOp = {
  op: 'Conv',
  attributes: CONV_ATTRIBUTES,
  weights: [1, 2],
  shapes([x, w], c) {
    groupsOf(c, x!, w!, false);
    const win = windowOf(c, [w![2], w![3]], x!.slice(2));
    return [[x![0], w![0], ...windowShape(win, x!.slice(2))]];
  },
  run([x, w, b], c) {
    const g = groupsOf(c, x!.shape, w!.shape, false);
    return [convRun(x!, w!, b, windowOf(c, [w!.shape[2], w!.shape[3]], x!.shape.slice(2)), g)];
  },
  macs: ([, w], [y]) => sizeOf(y) * w![1] * w![2] * w![3],
  reach: ([x, w], c) => windowOf(c, [w![2], w![3]], x!.slice(2)),
};

/** ConvTranspose's output side: stride·(in−1) + output_padding + dilated kernel − pads. */
function transposeShape(c: OpContext, x: readonly number[], w: readonly number[]): { win: GraphWindow; out: [number, number]; g: number } {
  const g = groupsOf(c, x, w, true);
  const win = windowOf({ ...c, attrs: { ...c.attrs, auto_pad: 'NOTSET' } }, [w[2], w[3]], x.slice(2));
  const extra = intsAttr(c.attrs, 'output_padding', [0, 0]);
  const out = [0, 1].map((a) => win.stride[a] * (x[a + 2] - 1) + extra[a] + (win.kernel[a] - 1) * win.dilation[a] + 1 - win.pads[a] - win.pads[a + 2]) as [number, number];
  if (intsAttr(c.attrs, 'output_shape') !== undefined || (c.attrs.auto_pad ?? 'NOTSET') !== 'NOTSET') {
    throw new ConvLabError('range', 'ConvTranspose with output_shape or auto_pad is not supported; give pads and output_padding');
  }
  if (out.some((s) => s < 1)) throw new ConvLabError('shape', `ConvTranspose gives an output of ${out.join('×')}`);
  return { win, out, g };
}

export const convTransposeOp: GraphOp = {
  op: 'ConvTranspose',
  attributes: [...CONV_ATTRIBUTES, 'output_padding', 'output_shape'],
  weights: [1, 2],
  shapes: ([x, w], c) => [[x![0], w![1] * intAttr(c.attrs, 'group', 1), ...transposeShape(c, x!, w!).out]],
  run([x, w, b], c) {
    const { win, out: [oh, ow], g } = transposeShape(c, x!.shape, w!.shape);
    const [n, cin, h, wd] = x!.shape, [, og, kh, kw] = w!.shape;
    const cg = cin / g, cout = og * g;
    const y = new Float32Array(n * cout * oh * ow);
    for (let i = 0; i < n; i++) for (let ci = 0; ci < cin; ci++) {
      const grp = Math.floor(ci / cg);
      for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < wd; xx++) {
        const v = x!.data[((i * cin + ci) * h + yy) * wd + xx];
        if (v === 0) continue;
        for (let o = 0; o < og; o++) {
          const co = grp * og + o;
          for (let ky = 0; ky < kh; ky++) {
            const oy = yy * win.stride[0] + ky * win.dilation[0] - win.pads[0];
            if (oy < 0 || oy >= oh) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ox = xx * win.stride[1] + kx * win.dilation[1] - win.pads[1];
              if (ox < 0 || ox >= ow) continue;
              y[((i * cout + co) * oh + oy) * ow + ox] += v * w!.data[((ci * og + o) * kh + ky) * kw + kx];
            }
          }
        }
      }
    }
    if (b) for (let i = 0; i < n; i++) for (let co = 0; co < cout; co++) y.subarray((i * cout + co) * oh * ow, (i * cout + co + 1) * oh * ow).forEach((v, k, a) => { a[k] = v + b.data[co]; });
    return [{ shape: [n, cout, oh, ow], data: y }];
  },
  macs: ([x, w]) => sizeOf(x!) * w![1] * w![2] * w![3],
  // Each output cell reads about kernel/stride input cells; the whole input is the honest bound to draw.
  reach: () => 'all',
};
