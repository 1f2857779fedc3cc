/** Flatten and the fully connected (dense) layer: forward and backward side by side. */
import { check } from '../errors';
import { checkRank, shapeText, type Tensor } from '../tensor';
import { matmul } from './matmul';
import { denseBackwardWasm, denseWasm } from './dense-wasm';
import { wasmKernels } from './wasm/kernels';
import { floats } from './floats';

/** Below this many multiply-adds the loops here beat copying operands into WebAssembly memory. */
const WASM_MACS = 4096;

/** N×C×H×W (or any rank ≥ 1) to N×(C·H·W); shares the data. */
export function flatten(x: Tensor): Tensor {
  const n = x.shape[0];
  return { shape: [n, n === 0 ? 0 : x.data.length / n], data: x.data };
}

/** Backward of flatten: the gradient takes the input's shape back. */
export function flattenBackward(x: Tensor, gradOutput: Tensor): Tensor {
  return { shape: [...x.shape], data: gradOutput.data };
}

/** dense: y = x·Wᵀ + b for x N×I, W O×I (PyTorch's layout), b of length O. Sums in double precision. */
export function dense(x: Tensor, w: Tensor, bias: Float32Array | null = null): Tensor {
  checkRank(x, 2, 'N×features', 'input');
  checkRank(w, 2, 'outputs×inputs', 'weight');
  const [n, inp] = x.shape, [out, win] = w.shape;
  check(win === inp, 'shape', () => `weight ${shapeText(w.shape)} expects ${win} inputs but the input has ${inp}`);
  check(bias === null || bias.length === out, 'shape', () => `bias has ${bias?.length} values but the weight has ${out} outputs`);
  const y = floats(n * out);
  const k = n * inp * out >= WASM_MACS ? wasmKernels() : null;
  if (k !== null) {
    denseWasm(k, x.data, w.data, bias, n, inp, out, y);
    return { shape: [n, out], data: y };
  }
  // y[r, o] = Σ_i x[r, i]·W[o, i]: B = Wᵀ read through strides.
  matmul(x.data, inp, 1, w.data, 1, inp, y, n, out, inp);
  if (bias !== null) for (let r = 0; r < n; r++) for (let o = 0; o < out; o++) y[r * out + o] += bias[o];
  return { shape: [n, out], data: y };
}

/** Backward of dense: gradInput = g·W, gradWeight = gᵀ·x, gradBias = Σ_rows g (double-precision sums). */
export function denseBackward(x: Tensor, w: Tensor, gradOutput: Tensor): { gradInput: Tensor; gradWeight: Tensor; gradBias: Float32Array } {
  const [n, inp] = x.shape, out = w.shape[0];
  const g = gradOutput.data;
  const gx = floats(n * inp), gw = floats(out * inp), gb = floats(out);
  const k = n * inp * out >= WASM_MACS ? wasmKernels() : null;
  if (k !== null) denseBackwardWasm(k, x.data, w.data, g, n, inp, out, gx, gw);
  else {
    matmul(g, out, 1, w.data, inp, 1, gx, n, inp, out);
    matmul(g, 1, out, x.data, inp, 1, gw, out, inp, n);
  }
  for (let o = 0; o < out; o++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += g[r * out + o];
    gb[o] = s;
  }
  return { gradInput: { shape: [n, inp], data: gx }, gradWeight: { shape: [out, inp], data: gw }, gradBias: gb };
}
