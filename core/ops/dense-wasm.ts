/**
 * The dense layer's products on the WebAssembly SIMD kernels, twins of dense.ts's loops: y = x·Wᵀ + b by rows of x
 * against rows of W (wasm/dense.as.ts); gx = g·W and gw = gᵀ·x as packed products (wasm/gemm.as.ts): the left factor
 * packed into 4-row panels, the right read row-major 8 columns at a time (columns past its width land in dropped
 * columns of the result).
 */
import { arenaFor, type Arena } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** C (panels·4 × cols, row stride roundUp(cols, 8)) = A·B for A packed at `pa` (depth T), B row-major at `pb`. */
function product(k: WasmKernels, a: Arena, pa: number, panels: number, pb: number, ldb: number, cols: number, T: number): { at: number; ld: number } {
  const ld = roundUp(cols, 8);
  const c = a.take(panels * 4 * ld);
  k.gemm(pa, panels, pb, ldb, ld / 8, T, c, ld, 0);
  return { at: c, ld };
}

/** Rows 0..rows−1, columns 0..cols−1 of C (row stride ld) into out, adding bias[j] to column j if given. */
function unpack(a: Arena, c: { at: number; ld: number }, rows: number, cols: number, out: Float32Array, bias: Float32Array | null): void {
  const v = a.view(c.at, rows * c.ld);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[r * cols + j] = v[r * c.ld + j] + (bias === null ? 0 : bias[j]);
  }
}

/**
 * Floats of W copied into the module's memory at a time: W goes in blocks of whole rows this large (VGG-11's first
 * dense layer is 411 MB), each multiplied while it is still in cache from its copy, and the module's memory need
 * not grow to hold all of W. Rows are independent, so the blocks give the values one whole pass would.
 */
const W_BLOCK = 1 << 18;

/** y (n × out) = x (n × inp) · Wᵀ + b, W out × inp: W read in its own layout (wasm/dense.as.ts), never transposed. */
export function denseWasm(k: WasmKernels, x: Float32Array, w: Float32Array, bias: Float32Array | null, n: number, inp: number, out: number, y: Float32Array): void {
  const a = arenaFor(k);
  const rows = Math.max(1, Math.min(out, Math.floor(W_BLOCK / inp)));
  const px = a.put(x), py = a.take(n * out), pw = a.take(rows * inp);
  for (let o0 = 0; o0 < out; o0 += rows) {
    const m = Math.min(rows, out - o0);
    a.view(pw, m * inp).set(w.subarray(o0 * inp, (o0 + m) * inp));
    k.denseForward(px, pw, py + 4 * o0, n, inp, m, out);
  }
  y.set(a.view(py, n * out));
  if (bias !== null) for (let r = 0; r < n; r++) for (let o = 0; o < out; o++) y[r * out + o] += bias[o];
}

/** gx (n × inp) = g (n × out) · W, and gw (out × inp) = gᵀ · x. */
export function denseBackwardWasm(k: WasmKernels, x: Float32Array, w: Float32Array, g: Float32Array, n: number, inp: number, out: number,
  gx: Float32Array, gw: Float32Array): void {
  const a = arenaFor(k);
  const px = a.put(x), pw = a.put(w), pg = a.put(g), pa = a.take(roundUp(Math.max(n, out), 4) * Math.max(n, out));
  let panels = k.pack4(pg, out, n, out, pa);
  unpack(a, product(k, a, pa, panels, pw, inp, inp, out), n, inp, gx, null);
  panels = k.pack4T(pg, out, out, n, pa);
  unpack(a, product(k, a, pa, panels, px, inp, inp, n), out, inp, gw, null);
}
