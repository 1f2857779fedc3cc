/** Gemm (the dense heads torchvision exports) and MatMul with broadcast batch axes (Keras' heads), and inference BatchNormalization. */
import { ConvLabError } from '../../errors';
import { sizeOf, type Tensor } from '../../tensor';
import { floatAttr, intAttr } from './attrs';
import { binary, broadcastShape } from './broadcast';
import type { GraphOp } from './graph-op';

/** C (m×n) = A (m×k) · B (k×n), A and B read through their strides so transposes cost no copy. */
function product(a: Float32Array, aOff: number, as: [number, number], b: Float32Array, bOff: number, bs: [number, number],
  m: number, k: number, n: number, out: Float32Array, oOff: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[aOff + i * as[0] + p * as[1]] * b[bOff + p * bs[0] + j * bs[1]];
      out[oOff + i * n + j] = acc;
    }
  }
}

function gemmDims(a: readonly number[], b: readonly number[], ta: boolean, tb: boolean): [number, number, number] {
  if (a.length !== 2 || b.length !== 2) throw new ConvLabError('shape', `Gemm multiplies matrices, got ${a.join('×')} and ${b.join('×')}`);
  const [m, k] = ta ? [a[1], a[0]] : [a[0], a[1]];
  const [k2, n] = tb ? [b[1], b[0]] : [b[0], b[1]];
  if (k !== k2) throw new ConvLabError('shape', `Gemm: ${a.join('×')} and ${b.join('×')} do not multiply (${k} ≠ ${k2})`);
  return [m, k, n];
}

export const gemmOp: GraphOp = {
  op: 'Gemm',
  attributes: ['alpha', 'beta', 'transA', 'transB'],
  weights: [1, 2],
  shapes([a, b], c) {
    const [m, , n] = gemmDims(a!, b!, intAttr(c.attrs, 'transA', 0) === 1, intAttr(c.attrs, 'transB', 0) === 1);
    return [[m, n]];
  },
  run([a, b, bias], c) {
    const ta = intAttr(c.attrs, 'transA', 0) === 1, tb = intAttr(c.attrs, 'transB', 0) === 1;
    const [m, k, n] = gemmDims(a!.shape, b!.shape, ta, tb);
    const out = new Float32Array(m * n);
    product(a!.data, 0, ta ? [1, m] : [k, 1], b!.data, 0, tb ? [1, k] : [n, 1], m, k, n, out, 0);
    const alpha = floatAttr(c.attrs, 'alpha', 1), beta = floatAttr(c.attrs, 'beta', 1);
    const y: Tensor = { shape: [m, n], data: alpha === 1 ? out : out.map((v) => v * alpha) };
    return [bias ? binary(y, bias, (x, z) => x + beta * z) : y];
  },
  // m·n outputs of k products each, k being A's side that is not m.
  macs: ([a], [y]) => y[0] * y[1] * (sizeOf(a!) / y[0]),
  reach: () => 'all',
};


/** MatMul's output shape (numpy's rules: 1-D operands promoted, batch axes broadcast). */
function matmulShape(a: readonly number[], b: readonly number[]): { batch: number[]; m: number; k: number; n: number } {
  const A = a.length === 1 ? [1, a[0]] : a, B = b.length === 1 ? [b[0], 1] : b;
  const k = A[A.length - 1];
  if (B[B.length - 2] !== k) throw new ConvLabError('shape', `MatMul: ${a.join('×')} and ${b.join('×')} do not multiply (${k} ≠ ${B[B.length - 2]})`);
  return { batch: broadcastShape(A.slice(0, -2), B.slice(0, -2)), m: A[A.length - 2], k, n: B[B.length - 1] };
}

function matmulOut(a: readonly number[], b: readonly number[]): number[] {
  const { batch, m, n } = matmulShape(a, b);
  return [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
}

export const matmulOp: GraphOp = {
  op: 'MatMul',
  attributes: [],
  weights: [1],
  shapes: ([a, b]) => [matmulOut(a!, b!)],
  run([a, b]) {
    const { batch, m, k, n } = matmulShape(a!.shape, b!.shape);
    const count = sizeOf(batch);
    const out = new Float32Array(count * m * n);
    const aBatch = a!.shape.length <= 2 ? [] : a!.shape.slice(0, -2), bBatch = b!.shape.length <= 2 ? [] : b!.shape.slice(0, -2);
    const offset = (own: number[], i: number, size: number): number => {
      if (own.length === 0) return 0;
      // Index i of the broadcast batch, read in the operand's own (possibly broadcast) batch axes.
      let at = 0, rest = i, stride = 1;
      for (let d = batch.length - 1, e = own.length - 1; d >= 0; d--, e--) {
        const coord = rest % batch[d]; rest = Math.floor(rest / batch[d]);
        if (e >= 0) { if (own[e] !== 1) at += coord * stride; stride *= own[e]; }
      }
      return at * size;
    };
    for (let i = 0; i < count; i++) product(a!.data, offset(aBatch, i, m * k), [k, 1], b!.data, offset(bBatch, i, k * n), [n, 1], m, k, n, out, i * m * n);
    return [{ shape: matmulOut(a!.shape, b!.shape), data: out }];
  },
  macs: ([a], [y]) => sizeOf(y) * a![a!.length - 1],
  reach: () => 'all',
};

export const batchNormOp: GraphOp = {
  op: 'BatchNormalization',
  attributes: ['epsilon', 'momentum', 'spatial', 'training_mode'],
  weights: [1, 2, 3, 4],
  shapes: ([x]) => [[...x!]],
  run([x, scale, bias, mean, variance], c) {
    if (intAttr(c.attrs, 'training_mode', 0) !== 0) throw new ConvLabError('range', 'BatchNormalization in training mode is not supported; export the model in eval mode');
    const eps = floatAttr(c.attrs, 'epsilon', 1e-5);
    const [n, ch] = x!.shape;
    const plane = sizeOf(x!.shape.slice(2));
    const y = new Float32Array(x!.data.length);
    for (let k = 0; k < ch; k++) {
      const g = scale!.data[k] / Math.sqrt(variance!.data[k] + eps);
      const shift = bias!.data[k] - mean!.data[k] * g;
      for (let i = 0; i < n; i++) {
        const base = (i * ch + k) * plane;
        for (let p = base; p < base + plane; p++) y[p] = x!.data[p] * g + shift;
      }
    }
    return [{ shape: [...x!.shape], data: y }];
  },
};
