/** Backward rules of the ops that move or average values: Pad, Transpose, ReduceMean, and MatMul by a matrix. */
import { ConvLabError } from '../errors';
import type { GradRule } from './grad-rule';
import { constInts, intsAttr, stringAttr } from './ops/attrs';
import { broadcastIndex } from './ops/broadcast';
import { zeroPad } from './ops/pad';
import { graphOpOf } from './ops/table';

/** Constant padding's gradient is the gradient with the pads cut off again. */
const padGrad: GradRule = ([x, p], _o, g, c) => {
  if (stringAttr(c.attrs, 'mode', 'constant') !== 'constant') throw new ConvLabError('range', 'only constant padding has a gradient in ConvLab yet');
  const pads = p !== undefined ? constInts(p, "Pad's pads") : intsAttr(c.attrs, 'pads', []);
  return [{ shape: [...x!.shape], data: zeroPad(g, pads.map((v) => -v)).data }];
};

/** Transpose's gradient is the transpose by the inverse permutation. */
const transposeGrad: GradRule = ([x], _o, g, c) => {
  const perm = intsAttr(c.attrs, 'perm') ?? x!.shape.map((_, i) => x!.shape.length - 1 - i);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const row = graphOpOf({ name: 'backward', op: 'Transpose', inputs: [], outputs: [], attrs: { perm: inverse } });
  return row.run([g], { ...c, attrs: { perm: inverse } });
};

/** Each input value gets its mean's gradient over the count it was averaged with. */
const reduceMeanGrad: GradRule = ([x], [y], g) => {
  const count = x!.data.length / y.data.length;
  const keptShape = reducedShape(x!.shape, y.shape);
  const idx = broadcastIndex(keptShape, x!.shape);
  return [{ shape: [...x!.shape], data: Float32Array.from(idx, (at) => g.data[at] / count) }];
};

/** The output's shape with reduced axes kept as 1, matched to the input's axes. */
function reducedShape(x: readonly number[], y: readonly number[]): number[] {
  if (y.length === x.length) return [...y];
  // keepdims 0: walk both shapes, an input axis without its size next in the output was reduced.
  const out: number[] = [];
  let k = 0;
  for (const d of x) { if (k < y.length && y[k] === d) { out.push(d); k++; } else out.push(1); }
  return out;
}

/** MatMul by a constant matrix B (k×n): dA = g · Bᵀ. */
const matmulGrad: GradRule = ([a, b], _o, g) => {
  if (b!.shape.length !== 2 || a!.shape.length < 2) throw new ConvLabError('range', `MatMul of ${a!.shape.join('×')} by ${b!.shape.join('×')} has no gradient in ConvLab yet (only by a matrix)`);
  const [k, n] = b!.shape;
  const rows = a!.data.length / k;
  const ga = new Float32Array(a!.data.length);
  for (let r = 0; r < rows; r++) for (let p = 0; p < k; p++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += g.data[r * n + j] * b!.data[p * n + j];
    ga[r * k + p] = acc;
  }
  return [{ shape: [...a!.shape], data: ga }];
};

export const LAYOUT_GRAD_RULES: Readonly<Record<string, GradRule>> = { Pad: padGrad, Transpose: transposeGrad, ReduceMean: reduceMeanGrad, MatMul: matmulGrad };
