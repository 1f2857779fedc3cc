/** Softmax over one axis (opset 13 on), or over everything from the axis on, flattened (before opset 13). */
import { sizeOf, type Tensor } from '../../tensor';
import { intAttr, normAxis } from './attrs';
import type { GraphOp } from './graph-op';

/** Softmax of `x` over `inner` runs of `len` values spaced `inner` apart, max-subtracted for range. */
function softmaxRuns(x: Float32Array, outer: number, len: number, inner: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let k = 0; k < len; k++) max = Math.max(max, x[base + k * inner]);
      let sum = 0;
      for (let k = 0; k < len; k++) { const e = Math.exp(x[base + k * inner] - max); y[base + k * inner] = e; sum += e; }
      for (let k = 0; k < len; k++) y[base + k * inner] /= sum;
    }
  }
  return y;
}

export const softmaxOp: GraphOp = {
  op: 'Softmax',
  attributes: ['axis'],
  shapes: ([x]) => [[...x!]],
  run([x], c): Tensor[] {
    const s = x!.shape;
    const axis = normAxis(intAttr(c.attrs, 'axis', c.opset >= 13 ? -1 : 1), s.length);
    const data = c.opset >= 13
      ? softmaxRuns(x!.data, sizeOf(s.slice(0, axis)), s[axis], sizeOf(s.slice(axis + 1)))
      : softmaxRuns(x!.data, sizeOf(s.slice(0, axis)), sizeOf(s.slice(axis)), 1);
    return [{ shape: [...s], data }];
  },
  reach: () => 'all',
};
