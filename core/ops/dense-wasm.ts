/**
 * The dense layer's products on the WebAssembly SIMD kernels (wasm/gemm.as.ts), twins of dense.ts's loops:
 * y = x·Wᵀ + b, gx = g·W, gw = gᵀ·x. Each is one packed product: the left factor packed into 4-row panels, the
 * right read row-major 8 columns at a time (columns past its width land in dropped columns of the result).
 */
import { arenaFor, type Arena } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';
import { floats } from './floats';

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

/** y (n × out) = x (n × inp) · Wᵀ + b, W out × inp. */
export function denseWasm(k: WasmKernels, x: Float32Array, w: Float32Array, bias: Float32Array | null, n: number, inp: number, out: number, y: Float32Array): void {
  const a = arenaFor(k);
  // B = Wᵀ (inp × out), row-major: W's columns become rows.
  const wt = floats(inp * out);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) wt[i * out + o] = w[o * inp + i];
  const px = a.put(x), pb = a.put(wt), pa = a.take(roundUp(n, 4) * inp);
  const panels = k.pack4(px, inp, n, inp, pa);
  unpack(a, product(k, a, pa, panels, pb, out, out, inp), n, out, y, bias);
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
