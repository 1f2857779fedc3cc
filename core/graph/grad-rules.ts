/**
 * Backward rules of the graph ops, for a unit's gradient on the input: given a node's inputs, outputs and the
 * gradient of its first output, the gradient of each input that is not a constant (undefined: none flows).
 */
import { ConvLabError } from '../errors';
import { conv2dInputGrad } from '../ops/conv2d';
import { sizeOf, type Tensor } from '../tensor';
import type { GradRule } from './grad-rule';
import { LAYOUT_GRAD_RULES } from './grad-rules-layout';
import { floatAttr, intAttr, normAxis } from './ops/attrs';
import { broadcastIndex } from './ops/broadcast';
import type { GraphWindow, OpContext } from './ops/graph-op';
import { windowOf } from './ops/window';

export type { GradRule } from './grad-rule';

const like = (t: Tensor, data: Float32Array): Tensor => ({ shape: [...t.shape], data });

/** An element-wise rule: g times the derivative at x (and y, the output). */
const pointwise = (d: (x: number, y: number, c: OpContext) => number): GradRule => ([x], [y], g, c) => [like(x!, g.data.map((v, i) => v * d(x!.data[i], y.data[i], c)))];

/** Sums `full` (of shape `out`) down to a broadcast input's `shape`. */
function reduceTo(shape: readonly number[], out: readonly number[], full: Float32Array): Tensor {
  const idx = broadcastIndex(shape, out);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < full.length; i++) data[idx[i]] += full[i];
  return { shape: [...shape], data };
}

/** A broadcasting binary rule from the partial derivatives at (a, b). */
function binaryRule(da: (a: number, b: number) => number, db: (a: number, b: number) => number): GradRule {
  return ([a, b], [y], g) => {
    const ia = broadcastIndex(a!.shape, y.shape), ib = broadcastIndex(b!.shape, y.shape);
    const ga = new Float32Array(g.data.length), gb = new Float32Array(g.data.length);
    for (let i = 0; i < g.data.length; i++) {
      const x = a!.data[ia[i]], z = b!.data[ib[i]];
      ga[i] = g.data[i] * da(x, z);
      gb[i] = g.data[i] * db(x, z);
    }
    return [reduceTo(a!.shape, y.shape, ga), reduceTo(b!.shape, y.shape, gb)];
  };
}

const asShape = ([x]: readonly (Tensor | undefined)[], _o: readonly Tensor[], g: Tensor): Tensor[] => [{ shape: [...x!.shape], data: g.data }];

function convGrad(ins: readonly (Tensor | undefined)[], _o: readonly Tensor[], g: Tensor, c: OpContext): Tensor[] {
  const [x, w] = ins as Tensor[];
  const win: GraphWindow = windowOf(c, [w.shape[2], w.shape[3]], x.shape.slice(2));
  const [t, l, b, r] = win.pads;
  const padded = [x.shape[0], x.shape[1], x.shape[2] + t + b, x.shape[3] + l + r];
  const groups = intAttr(c.attrs, 'group', 1);
  const n = x.shape[0];
  const plane = padded[2] * padded[3];
  const gp = conv2dInputGrad(padded, w, g, { stride: win.stride, dilation: win.dilation, groups }).data;
  // Back from the padded input to the input: the pads' cells are dropped.
  const [, ch, h, wd] = x.shape;
  const gx = new Float32Array(sizeOf(x.shape));
  for (let p = 0; p < n * ch; p++) for (let yy = 0; yy < h; yy++) {
    gx.set(gp.subarray(p * plane + (yy + t) * padded[3] + l, p * plane + (yy + t) * padded[3] + l + wd), (p * h + yy) * wd);
  }
  return [like(x, gx)];
}

function poolGrad(max: boolean): GradRule {
  return ([x], [y], g, c) => {
    const win = windowOf(c, [1, 1], x!.shape.slice(2));
    const [n, ch, h, w] = x!.shape, [, , oh, ow] = y.shape;
    const [kh, kw] = win.kernel, [sh, sw] = win.stride, [dh, dw] = win.dilation, [pt, pl, pb, pr] = win.pads;
    const includePad = intAttr(c.attrs, 'count_include_pad', 0) === 1;
    const gx = new Float32Array(x!.data.length);
    for (let p = 0; p < n * ch; p++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
      const go = g.data[(p * oh + oy) * ow + ox];
      const y0 = oy * sh - pt, x0 = ox * sw - pl;
      const cells: number[] = [];
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
        const iy = y0 + ky * dh, ix = x0 + kx * dw;
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) cells.push((p * h + iy) * w + ix);
      }
      if (max) {
        const best = cells.reduce((a, b) => (x!.data[b] > x!.data[a] ? b : a), cells[0]);
        gx[best] += go;
      } else {
        const divisor = includePad ? (Math.min(y0 + kh, h + pb) - y0) * (Math.min(x0 + kw, w + pr) - x0) : cells.length;
        for (const at of cells) gx[at] += go / divisor;
      }
    }
    return [like(x!, gx)];
  };
}

function globalGrad(max: boolean): GradRule {
  return ([x], [y], g) => {
    const plane = sizeOf(x!.shape.slice(2));
    const gx = new Float32Array(x!.data.length);
    for (let p = 0; p < g.data.length; p++) {
      if (max) {
        let best = p * plane;
        for (let i = p * plane; i < (p + 1) * plane; i++) if (x!.data[i] === y.data[p]) { best = i; break; }
        gx[best] = g.data[p];
      } else gx.fill(g.data[p] / plane, p * plane, (p + 1) * plane);
    }
    return [like(x!, gx)];
  };
}

function gemmGrad([a, b]: readonly (Tensor | undefined)[], _o: readonly Tensor[], g: Tensor, c: OpContext): Tensor[] {
  const ta = intAttr(c.attrs, 'transA', 0) === 1, tb = intAttr(c.attrs, 'transB', 0) === 1;
  const alpha = floatAttr(c.attrs, 'alpha', 1);
  const [m, n] = g.shape;
  const k = ta ? a!.shape[0] : a!.shape[1];
  const ga = new Float32Array(a!.data.length);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += g.data[i * n + j] * b!.data[tb ? j * k + p : p * n + j];
    ga[ta ? p * m + i : i * k + p] = alpha * acc;
  }
  return [like(a!, ga)];
}

function bnGrad([x, scale, , , variance]: readonly (Tensor | undefined)[], _o: readonly Tensor[], g: Tensor, c: OpContext): Tensor[] {
  const eps = floatAttr(c.attrs, 'epsilon', 1e-5);
  const [n, ch] = x!.shape, plane = sizeOf(x!.shape.slice(2));
  const gx = new Float32Array(x!.data.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < ch; k++) {
    const f = scale!.data[k] / Math.sqrt(variance!.data[k] + eps);
    for (let p = (i * ch + k) * plane; p < (i * ch + k + 1) * plane; p++) gx[p] = g.data[p] * f;
  }
  return [like(x!, gx)];
}

function concatGrad(ins: readonly (Tensor | undefined)[], [y]: readonly Tensor[], g: Tensor, c: OpContext): Tensor[] {
  const axis = normAxis(intAttr(c.attrs, 'axis', 1), y.shape.length);
  const outer = sizeOf(y.shape.slice(0, axis)), inner = sizeOf(y.shape.slice(axis + 1));
  let at = 0;
  return ins.map((t) => {
    const block = t!.shape[axis] * inner;
    const data = new Float32Array(t!.data.length);
    for (let o = 0; o < outer; o++) data.set(g.data.subarray(o * y.shape[axis] * inner + at, o * y.shape[axis] * inner + at + block), o * block);
    at += block;
    return like(t!, data);
  });
}

function softmaxGrad(_i: readonly (Tensor | undefined)[], [y]: readonly Tensor[], g: Tensor, c: OpContext): Tensor[] {
  const s = y.shape;
  const axis = normAxis(intAttr(c.attrs, 'axis', c.opset >= 13 ? -1 : 1), s.length);
  const [len, inner] = c.opset >= 13 ? [s[axis], sizeOf(s.slice(axis + 1))] : [sizeOf(s.slice(axis)), 1];
  const gx = new Float32Array(y.data.length);
  for (let o = 0; o < y.data.length / (len * inner); o++) for (let i = 0; i < inner; i++) {
    const base = o * len * inner + i;
    let dot = 0;
    for (let k = 0; k < len; k++) dot += g.data[base + k * inner] * y.data[base + k * inner];
    for (let k = 0; k < len; k++) gx[base + k * inner] = y.data[base + k * inner] * (g.data[base + k * inner] - dot);
  }
  return [like(y, gx)];
}

/** The backward rules, by op; an op without one is refused by name when a gradient must pass through it. */
export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  Conv: convGrad,
  Relu: pointwise((x) => (x > 0 ? 1 : 0)),
  LeakyRelu: pointwise((x, _y, c) => (x < 0 ? floatAttr(c.attrs, 'alpha', 0.01) : 1)),
  Sigmoid: pointwise((_x, y) => y * (1 - y)),
  Tanh: pointwise((_x, y) => 1 - y * y),
  HardSigmoid: pointwise((x, _y, c) => { const a = floatAttr(c.attrs, 'alpha', 0.2), v = a * x + floatAttr(c.attrs, 'beta', 0.5); return v > 0 && v < 1 ? a : 0; }),
  HardSwish: pointwise((x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 3 + 0.5)),
  Clip: (ins, outs, g) => [like(ins[0]!, g.data.map((v, i) => (outs[0].data[i] === ins[0]!.data[i] ? v : 0)))],
  Identity: asShape, Dropout: asShape, Flatten: asShape, Reshape: asShape, Squeeze: asShape, Unsqueeze: asShape,
  Add: binaryRule(() => 1, () => 1),
  Sub: binaryRule(() => 1, () => -1),
  Mul: binaryRule((_a, b) => b, (a) => a),
  Div: binaryRule((_a, b) => 1 / b, (a, b) => -a / (b * b)),
  PRelu: binaryRule((a, s) => (a < 0 ? s : 1), (a) => (a < 0 ? a : 0)),
  MaxPool: poolGrad(true),
  AveragePool: poolGrad(false),
  GlobalAveragePool: globalGrad(false),
  GlobalMaxPool: globalGrad(true),
  BatchNormalization: bnGrad,
  Gemm: gemmGrad,
  Concat: concatGrad,
  Softmax: softmaxGrad,
  ...LAYOUT_GRAD_RULES,
};

/** The rule of `op`, refused by name when ConvLab has none. */
export function gradRuleOf(node: string, op: string): GradRule {
  const rule = GRAD_RULES[op];
  if (rule === undefined) throw new ConvLabError('range', `node '${node}' (op ${op}) has no gradient in ConvLab yet; the heat map needs one through every node on the way to the input`);
  return rule;
}
