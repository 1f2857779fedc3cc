/**
 * The matrix product under conv2d: C += A·B over packed panels, one 2×4 register tile at a time.
 * Panels are Float64Array so the inner loop reads doubles without float32 conversions and sums in double precision.
 * The tile is 2×4 because larger tiles made V8 spill accumulators to the stack (measured: 4×4 ran slower).
 * Where WebAssembly SIMD is on, gemmPacked hands large products to gemm-wasm.ts (float32 lanes, summed in float32).
 */
import { gemmPackedWasm } from './gemm-wasm';
import { wasmKernels } from './wasm/kernels';

/** Multiply-adds from which gemmPacked's repacking into WebAssembly memory pays for itself. */
const WASM_MACS = 65536;

/** Rows and columns of the register tile. */
export const MR = 2;
export const NR = 4;

/** Rounds `n` up to a multiple of `m`. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** C[c + i·ldc + j] += Σ_t A[a + t·MR + i] · B[b + t·bs + j], for i < 2, j < 4. */
function tile(A: Float64Array, a: number, B: Float64Array, b: number, bs: number, T: number, C: Float64Array, c: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  for (let t = 0; t < T; t++) {
    const a0 = A[a], a1 = A[a + 1];
    const b0 = B[b], b1 = B[b + 1], b2 = B[b + 2], b3 = B[b + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    a += 2;
    b += bs;
  }
  C[c] += c00; C[c + 1] += c01; C[c + 2] += c02; C[c + 3] += c03;
  c += ldc;
  C[c] += c10; C[c + 1] += c11; C[c + 2] += c12; C[c + 3] += c13;
}

/**
 * C += A·B for A packed as `mPanels` panels of T×MR (see packRows) and B given as `nPanels` column panels of
 * NR columns: panel jp starts at jp·ps and its row t at t·bs (packed panels: ps = T·NR, bs = NR; a plain
 * row-major matrix: ps = NR, bs = its row length). C has row stride `ldc` and room for mPanels·MR rows and
 * nPanels·NR columns; rows and columns past the real matrix get whatever the padding gives, and callers ignore
 * them. Each B panel stays in L1 while every A panel (L2-resident) passes over it.
 */
export function gemmPacked(Ap: Float64Array, mPanels: number, B: Float64Array, nPanels: number, ps: number, bs: number, T: number,
  C: Float64Array, ldc: number): void {
  const k = mPanels * MR * nPanels * NR * T >= WASM_MACS ? wasmKernels() : null;
  if (k !== null) {
    gemmPackedWasm(k, Ap, mPanels, B, nPanels, ps, bs, T, C, ldc);
    return;
  }
  for (let jp = 0; jp < nPanels; jp++) {
    const b = jp * ps, c = jp * NR;
    for (let ip = 0; ip < mPanels; ip++) tile(Ap, ip * T * MR, B, b, bs, T, C, ip * MR * ldc + c, ldc);
  }
}

/**
 * The same tile with B read in place rather than from a panel: row t of the 4 columns is X[base + off[t] + j·sw].
 * With X a zero-padded input plane and off[t] the offset of kernel tap t, this is a conv's patch matrix without
 * ever writing it (the "indirect" im2col): one table read per tap replaces copying every patch value.
 */
function tileIndirect(A: Float64Array, a: number, X: Float64Array, base: number, off: Int32Array, sw: number, T: number,
  C: Float64Array, c: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  for (let t = 0; t < T; t++) {
    const a0 = A[a], a1 = A[a + 1];
    const o = base + off[t];
    const b0 = X[o], b1 = X[o + sw], b2 = X[o + 2 * sw], b3 = X[o + 3 * sw];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    a += 2;
  }
  C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03;
  c += ldc;
  C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13;
}

/**
 * C = A·B over one output row: for each group of 4 positions starting at X offsets base + g·4·sw, every A panel
 * (T = off.length taps) times the taps read in place. C row r holds positions 0..nGroups·4−1 at C[r·ldc + …].
 */
export function gemmIndirectRow(Ap: Float64Array, mPanels: number, X: Float64Array, base: number, off: Int32Array, sw: number,
  nGroups: number, C: Float64Array, ldc: number): void {
  const T = off.length;
  for (let g = 0; g < nGroups; g++) {
    const b = base + g * NR * sw, c = g * NR;
    for (let ip = 0; ip < mPanels; ip++) tileIndirect(Ap, ip * T * MR, X, b, off, sw, T, C, ip * MR * ldc + c, ldc);
  }
}

/**
 * Packs rows 0..M−1 (columns 0..T−1, row stride `ld`, from `off`) of `src` into MR-row panels:
 * out[(ip·T + t)·MR + i] = src[off + (ip·MR + i)·ld + t], zero for rows past M. Returns the panel count.
 */
export function packRows(src: Float32Array | Float64Array, off: number, ld: number, M: number, T: number, out: Float64Array): number {
  const panels = Math.ceil(M / MR);
  for (let ip = 0; ip < panels; ip++) {
    for (let i = 0; i < MR; i++) {
      const r = ip * MR + i;
      let o = ip * T * MR + i;
      if (r < M) {
        const s = off + r * ld;
        for (let t = 0; t < T; t++, o += MR) out[o] = src[s + t];
      } else {
        for (let t = 0; t < T; t++, o += MR) out[o] = 0;
      }
    }
  }
  return panels;
}
