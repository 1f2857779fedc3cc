/**
 * gemmPacked's product on the WebAssembly SIMD kernel (wasm/gemm.as.ts), for callers of gemm.ts outside conv2d
 * (the network engine's layers): the 2-row Float64 panels and 4-column panels of gemm.ts are repacked as float32
 * 4-row panels and a row-major matrix in the module's memory, multiplied there, and the product added onto C.
 * The repacking is O(M·T + T·N) against the product's O(M·N·T), so gemm.ts sends only large products here.
 */
import { arenaFor } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';

/** C += A·B with gemmPacked's operands and layout (see gemm.ts): A in 2-row panels, B in 4-column panels. */
export function gemmPackedWasm(k: WasmKernels, Ap: Float64Array, mPanels: number, B: Float64Array, nPanels: number, ps: number, bs: number,
  T: number, C: Float64Array, ldc: number): void {
  const a = arenaFor(k);
  const M = mPanels * 2, N = nPanels * 4, ld = Math.ceil(N / 8) * 8, panels = Math.ceil(M / 4);
  const pa = a.take(panels * 4 * T), pb = a.take(T * ld), pc = a.take(panels * 4 * ld);
  // A: row r = ip·2 + i of the 2-row panels goes to row r of 4-row panels (rows past M are zero).
  const A4 = a.view(pa, panels * 4 * T);
  A4.fill(0);
  for (let ip = 0; ip < mPanels; ip++) {
    for (let i = 0; i < 2; i++) {
      const r = ip * 2 + i, dst = (r >> 2) * T * 4 + (r & 3);
      for (let t = 0, s = ip * T * 2 + i; t < T; t++, s += 2) A4[dst + t * 4] = Ap[s];
    }
  }
  // B: the 4-column panels side by side as one row-major T × N matrix.
  const Bm = a.view(pb, T * ld);
  for (let jp = 0; jp < nPanels; jp++) {
    for (let t = 0; t < T; t++) {
      const s = jp * ps + t * bs, d = t * ld + jp * 4;
      Bm[d] = B[s]; Bm[d + 1] = B[s + 1]; Bm[d + 2] = B[s + 2]; Bm[d + 3] = B[s + 3];
    }
  }
  k.gemm(pa, panels, pb, ld, ld / 8, T, pc, ld, 0);
  const Cv = a.view(pc, panels * 4 * ld);
  for (let r = 0; r < M; r++) for (let j = 0; j < N; j++) C[r * ldc + j] += Cv[r * ld + j];
}
