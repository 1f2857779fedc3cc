/** Numpy-style broadcasting of element-wise ops (Add, Sub, Mul, Div, PRelu, Clip's bounds…). */
import { ConvLabError } from '../../errors';
import { sizeOf, type Tensor } from '../../tensor';
import { stridesOf } from './attrs';

/** The shape two shapes broadcast to, refused by name when a pair of dims neither agrees nor is 1. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1, y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ConvLabError('shape', `shapes ${a.join('×')} and ${b.join('×')} do not broadcast (dims ${x} and ${y})`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** For each element of `out`, the index of the element of a `shape` tensor broadcast to it. */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = sizeOf(out);
  const idx = new Int32Array(n);
  const rank = out.length;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const src = stridesOf(padded).map((s, i) => (padded[i] === 1 ? 0 : s));
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += src[d];
      if (counter[d] < out[d]) break;
      at -= src[d] * counter[d];
      counter[d] = 0;
    }
  }
  return idx;
}

/** `f` applied element-wise to `a` and `b` broadcast together. */
export function binary(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  const same = (s: readonly number[]) => s.length === shape.length && s.every((d, i) => d === shape[i]);
  const ia = same(a.shape) ? null : broadcastIndex(a.shape, shape);
  const ib = same(b.shape) ? null : b.data.length === 1 ? null : broadcastIndex(b.shape, shape);
  const ad = a.data, bd = b.data;
  if (ia === null && ib === null && b.data.length === 1 && !same(b.shape)) {
    const y = bd[0];
    for (let i = 0; i < n; i++) out[i] = f(ad[i], y);
  } else {
    for (let i = 0; i < n; i++) out[i] = f(ad[ia === null ? i : ia[i]], bd[ib === null ? (b.data.length === 1 ? 0 : i) : ib[i]]);
  }
  return { shape, data: out };
}
