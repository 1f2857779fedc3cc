/** Ops that move values without computing on them: Flatten, Reshape, Transpose, Squeeze, Unsqueeze and Constant. */
import { ConvLabError } from '../../errors';
import { sizeOf, type Tensor } from '../../tensor';
import { constInts, intAttr, intsAttr, normAxis, stridesOf } from './attrs';
import type { GraphOp, OpContext } from './graph-op';

const view = (x: Tensor, shape: number[]): Tensor[] => [{ shape, data: x.data }];

function flattenShape(x: readonly number[], c: OpContext): number[] {
  const axis = intAttr(c.attrs, 'axis', 1);
  const a = axis < 0 ? axis + x.length : axis;
  if (a < 0 || a > x.length) throw new ConvLabError('range', `Flatten axis ${axis} is outside a rank-${x.length} tensor`);
  return [sizeOf(x.slice(0, a)), sizeOf(x.slice(a))];
}

function reshapeShape(x: readonly number[], target: number[], allowZero: boolean): number[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  const unknown = out.indexOf(-1);
  const known = sizeOf(out.filter((d) => d !== -1));
  if (unknown >= 0) out[unknown] = known === 0 ? 0 : sizeOf(x) / known;
  if (!out.every((d) => Number.isInteger(d) && d >= 0) || sizeOf(out) !== sizeOf(x)) {
    throw new ConvLabError('shape', `Reshape cannot make ${x.join('×')} into ${target.join('×')}`);
  }
  return out;
}

function permOf(x: readonly number[], c: OpContext): number[] {
  const perm = intsAttr(c.attrs, 'perm') ?? x.map((_, i) => x.length - 1 - i);
  if (perm.length !== x.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) throw new ConvLabError('range', `perm ${perm.join(',')} is not a permutation of ${x.length} axes`);
  return perm;
}

function transpose(x: Tensor, perm: number[]): Tensor {
  const shape = perm.map((p) => x.shape[p]);
  const inStrides = stridesOf(x.shape);
  const src = perm.map((p) => inStrides[p]);
  const out = new Float32Array(x.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = x.data[at];
    for (let a = shape.length - 1; a >= 0; a--) {
      idx[a]++; at += src[a];
      if (idx[a] < shape[a]) break;
      at -= src[a] * idx[a]; idx[a] = 0;
    }
  }
  return { shape, data: out };
}

/** Squeeze's and Unsqueeze's axes: an attribute before opset 13, an input from then on. */
const axesOf = (c: OpContext, input: Tensor | undefined): number[] | undefined => (input !== undefined ? constInts(input, 'axes') : intsAttr(c.attrs, 'axes'));

function squeezeShape(x: readonly number[], axes: number[] | undefined): number[] {
  const drop = new Set((axes ?? x.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normAxis(a, x.length)));
  for (const a of drop) if (x[a] !== 1) throw new ConvLabError('shape', `Squeeze axis ${a} has size ${x[a]}, not 1`);
  return x.filter((_, i) => !drop.has(i));
}

function unsqueezeShape(x: readonly number[], axes: number[] | undefined): number[] {
  if (axes === undefined) throw new ConvLabError('format', 'Unsqueeze needs its axes');
  const rank = x.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(a, rank)));
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : x[k++]);
  return out;
}

function constantOf(c: OpContext): Tensor {
  const v = c.attrs.value ?? c.attrs.value_float ?? c.attrs.value_floats ?? c.attrs.value_int ?? c.attrs.value_ints;
  if (v === undefined || typeof v === 'string') throw new ConvLabError('format', 'Constant needs a numeric value');
  if (typeof v === 'number') return { shape: [], data: Float32Array.of(v) };
  if (Array.isArray(v)) return { shape: [v.length], data: Float32Array.from(v) };
  return v;
}

export const LAYOUT_OPS: GraphOp[] = [
  {
    op: 'Flatten', attributes: ['axis'],
    shapes: ([x], c) => [flattenShape(x!, c)],
    run: ([x], c) => view(x!, flattenShape(x!.shape, c)),
    reach: () => 'all',
  },
  {
    op: 'Reshape', attributes: ['allowzero'],
    shapes: ([x], c, [, s]) => [reshapeShape(x!, constInts(s, "Reshape's shape"), intAttr(c.attrs, 'allowzero', 0) === 1)],
    run: ([x, s], c) => view(x!, reshapeShape(x!.shape, constInts(s, "Reshape's shape"), intAttr(c.attrs, 'allowzero', 0) === 1)),
    reach: () => 'all',
  },
  {
    op: 'Transpose', attributes: ['perm'],
    shapes: ([x], c) => [permOf(x!, c).map((p) => x![p])],
    run: ([x], c) => [transpose(x!, permOf(x!.shape, c))],
    reach: ([x], c) => { const p = permOf(x!, c); return p.length === 4 && p[2] === 2 && p[3] === 3 ? 'same' : 'all'; },
  },
  {
    op: 'Squeeze', attributes: ['axes'],
    shapes: ([x], c, [, a]) => [squeezeShape(x!, axesOf(c, a))],
    run: ([x, a], c) => view(x!, squeezeShape(x!.shape, axesOf(c, a))),
    reach: () => 'all',
  },
  {
    op: 'Unsqueeze', attributes: ['axes'],
    shapes: ([x], c, [, a]) => [unsqueezeShape(x!, axesOf(c, a))],
    run: ([x, a], c) => view(x!, unsqueezeShape(x!.shape, axesOf(c, a))),
    reach: () => 'all',
  },
  {
    op: 'Constant', attributes: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
    shapes: (_, c) => [[...constantOf(c).shape]],
    run: (_, c) => [constantOf(c)],
  },
];
