/**
 * Winograd F(2×2, 3×3) for 3×3, stride-1, dilation-1 correlations (Lavin & Gray 2015): each 2×2 output tile is
 * Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for the 4×4 input tile d around it, so the channel sum becomes 16 independent products
 * U_ξ (Cout × Cin) · V_ξ (Cin × tiles), one per position ξ of the 4×4 transformed tile: 4 multiply-adds per output
 * and channel pair instead of 9. F(4×4, 3×3) does the same with 6×6 tiles and 36 products (2.25 multiply-adds).
 * Transforms and products run in double precision, so even F(4×4)'s larger transform constants leave the float32
 * result equal to the direct definition's up to rounding.
 */
import type { Conv2dGeometry } from './conv2d-geometry';
import { MR, NR, roundUp } from './gemm';
import { scratch, SLOT } from './scratch';

/** Output tiles of the two Winograd passes here, F(2×2, 3×3) and F(4×4, 3×3): a window aligned to them repeats their tiling. */
export const WINOGRAD_TILES = [2, 4] as const;

/**
 * C[c + i·ldc + j] = Σ_t A[a + t·MR + i] · B[b + t·NR + j] for i < 2, j < 4: gemm.ts's tile, kept apart so this
 * short-depth use (depth = channels) leaves the JIT's view of the shared kernel alone, and storing rather than adding.
 */
function tileW(A: Float64Array, a: number, B: Float64Array, b: number, T: number, C: Float64Array, c: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  for (let t = 0; t < T; t++) {
    const a0 = A[a], a1 = A[a + 1];
    const b0 = B[b], b1 = B[b + 1], b2 = B[b + 2], b3 = B[b + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    a += 2;
    b += 4;
  }
  C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03;
  c += ldc;
  C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13;
}

/**
 * C (from `co`, row stride ldc) = A·B for A packed from `ao` as mPanels panels of K×MR and B from `bo` as nPanels
 * column panels of K×NR: one of the transformed-domain products.
 */
function gemmW(A: Float64Array, ao: number, mPanels: number, B: Float64Array, bo: number, nPanels: number, K: number,
  C: Float64Array, co: number, ldc: number): void {
  for (let jp = 0; jp < nPanels; jp++) {
    const b = bo + jp * NR * K, c = co + jp * NR;
    for (let ip = 0; ip < mPanels; ip++) tileW(A, ao + ip * K * MR, B, b, K, C, c + ip * MR * ldc, ldc);
  }
}

/**
 * Packs the `count` M × K matrices of u (matrix ξ at ξ·M·K) as GEMM A operands in packRows' layout, operand ξ at
 * ξ·stride (stride = ⌈M/MR⌉·MR·K), zero rows past M. Kept apart from packRows for the same reason as tileW.
 */
function packAll(u: Float64Array, count: number, M: number, K: number, out: Float64Array): void {
  const panels = Math.ceil(M / MR), stride = panels * MR * K;
  for (let xi = 0; xi < count; xi++) {
    for (let ip = 0; ip < panels; ip++) {
      for (let i = 0; i < MR; i++) {
        const r = ip * MR + i;
        let o = xi * stride + ip * K * MR + i;
        const src = (xi * M + r) * K;
        for (let t = 0; t < K; t++, o += MR) out[o] = r < M ? u[src + t] : 0;
      }
    }
  }
}

/** Doubles of transformed input per tile block (16·Cin·TB): about 1 MiB, so a block's panels stay in L2. */
const BLOCK_BUDGET = 131072;

/**
 * U = G g Gᵀ for every 3×3 kernel plane, packed as 16 GEMM A operands of M × K (packRows layout), operand ξ at
 * ξ·stride. Plane (r, c) is w[r·rs + c·cs ..] read forwards, or backwards when `rotate` (the 180° turn).
 * Returns the panel count and that stride.
 */
function transformKernels(w: Float32Array, M: number, K: number, rs: number, cs: number, rotate: boolean): { mPanels: number; stride: number } {
  const mPanels = Math.ceil(M / MR), stride = mPanels * MR * K, step = M * K;
  const u = scratch(SLOT.weights, 16 * step);
  const g = new Float64Array(9);
  for (let r = 0; r < M; r++) {
    for (let c = 0; c < K; c++) {
      const k = r * rs + c * cs;
      for (let i = 0; i < 9; i++) g[i] = w[k + (rotate ? 8 - i : i)];
      // t = G g (4×3), then U = t Gᵀ (4×4) row by row, written as u[ξ][r][c].
      for (let i = 0; i < 4; i++) {
        let a: number, b: number, d: number;
        if (i === 0) { a = g[0]; b = g[1]; d = g[2]; }
        else if (i === 3) { a = g[6]; b = g[7]; d = g[8]; }
        else {
          const sg = i === 1 ? 1 : -1;
          a = 0.5 * (g[0] + sg * g[3] + g[6]); b = 0.5 * (g[1] + sg * g[4] + g[7]); d = 0.5 * (g[2] + sg * g[5] + g[8]);
        }
        const o = 4 * i * step + r * K + c;
        u[o] = a;
        u[o + step] = 0.5 * (a + b + d);
        u[o + 2 * step] = 0.5 * (a - b + d);
        u[o + 3 * step] = d;
      }
    }
  }
  const Ap = scratch(SLOT.packA, 16 * stride);
  packAll(u, 16, M, K, Ap);
  return { mPanels, stride };
}

/**
 * y = bias + correlation of x (N×Cin×H×W, zero-padded by ph, pw — negative crops) with the 3×3 OIHW kernels `w`,
 * stride 1, dilation 1. Shape fields other than those are taken from `s` (oh = H + 2ph − 2, ow likewise).
 */
export function forwardWinograd(s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const { cin, cout } = s;
  const k = transformKernels(w, cout, cin, cin * 9, 9, false);
  winograd(s, x, k.mPanels, k.stride, bias, y);
}

/**
 * Stride-1 input gradient through the same product: gy padded by 2 − p, correlated with the kernels rotated 180°
 * and their channel axes swapped. `w` is OIHW (already rotated for true convolution).
 */
export function inputGradWinograd(s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { cin, cout } = s;
  const k = transformKernels(w, cin, cout, 9, cin * 9, true);
  const t: Conv2dGeometry = {
    n: s.n, cin: cout, h: s.oh, w: s.ow, cout: cin, oh: s.h, ow: s.w, kh: 3, kw: 3, sh: 1, sw: 1,
    ph: 2 - s.ph, pw: 2 - s.pw, dh: 1, dw: 1,
  };
  winograd(t, gy, k.mPanels, k.stride, null, gx);
}

/** The tiled product once the kernels are transformed and packed in SLOT.packA. */
function winograd(s: Conv2dGeometry, x: Float32Array, mPanels: number, stride: number, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, cout, h, w: wd, ph, pw, oh, ow } = s;
  const Ap = scratch(SLOT.packA, 16 * stride);
  const tY = Math.ceil(oh / 2), tX = Math.ceil(ow / 2), tiles = tY * tX;
  // Padded plane covering every tile's 4×4 window (one extra row/column of zeros when the output is odd).
  const HP = 2 * tY + 2, WP = 2 * tX + 2, plane = HP * WP;
  const xp = scratch(SLOT.accum, cin * plane);
  const TB = Math.min(roundUp(tiles, NR), Math.max(NR, roundUp(Math.floor(BLOCK_BUDGET / (16 * Math.max(cin, cout))), NR)));
  const vStride = cin * TB, cStride = mPanels * MR * TB;
  const V = scratch(SLOT.packB, 16 * vStride);
  const C = scratch(SLOT.block, 16 * cStride);
  const P = oh * ow;
  for (let b = 0; b < n; b++) {
    // Zero-padded Float64 copies of this image's planes.
    for (let ci = 0; ci < cin; ci++) {
      const xo = (b * cin + ci) * h * wd, po = ci * plane;
      const c0 = Math.max(0, pw), c1 = Math.min(WP, wd + pw);
      for (let r = 0; r < HP; r++) {
        const sr = r - ph, o = po + r * WP;
        if (sr < 0 || sr >= h || c1 <= c0) {
          xp.fill(0, o, o + WP);
          continue;
        }
        if (c0 > 0) xp.fill(0, o, o + c0);
        const src = xo + sr * wd - pw;
        for (let c = c0; c < c1; c++) xp[o + c] = x[src + c];
        if (c1 < WP) xp.fill(0, o + c1, o + WP);
      }
    }
    const yo = b * cout * P;
    for (let t0 = 0; t0 < tiles; t0 += TB) {
      const nt = Math.min(TB, tiles - t0), ntPad = roundUp(nt, NR);
      // V_ξ in column panels of NR tiles: V[ξ·vStride + ((j>>2)·Cin + ci)·NR + (j&3)].
      for (let ci = 0; ci < cin; ci++) {
        const po = ci * plane;
        for (let j = 0; j < ntPad; j++) {
          const o = ((j >> 2) * cin + ci) * NR + (j & 3);
          if (j >= nt) {
            // Padding columns of the last panel: finite zeros, results dropped.
            for (let xi = 0; xi < 16; xi++) V[xi * vStride + o] = 0;
            continue;
          }
          const t = t0 + j, ty = Math.floor(t / tX), tx = t - ty * tX;
          const r0 = po + 2 * ty * WP + 2 * tx, r1 = r0 + WP, r2 = r1 + WP, r3 = r2 + WP;
          // Bᵀ d: rows combined.
          const a0 = xp[r0] - xp[r2], a1 = xp[r0 + 1] - xp[r2 + 1], a2 = xp[r0 + 2] - xp[r2 + 2], a3 = xp[r0 + 3] - xp[r2 + 3];
          const b0 = xp[r1] + xp[r2], b1 = xp[r1 + 1] + xp[r2 + 1], b2 = xp[r1 + 2] + xp[r2 + 2], b3 = xp[r1 + 3] + xp[r2 + 3];
          const c0 = xp[r2] - xp[r1], c1 = xp[r2 + 1] - xp[r1 + 1], c2 = xp[r2 + 2] - xp[r1 + 2], c3 = xp[r2 + 3] - xp[r1 + 3];
          const d0 = xp[r1] - xp[r3], d1 = xp[r1 + 1] - xp[r3 + 1], d2 = xp[r1 + 2] - xp[r3 + 2], d3 = xp[r1 + 3] - xp[r3 + 3];
          // (Bᵀ d) B: columns combined.
          V[o] = a0 - a2; V[vStride + o] = a1 + a2; V[2 * vStride + o] = a2 - a1; V[3 * vStride + o] = a1 - a3;
          V[4 * vStride + o] = b0 - b2; V[5 * vStride + o] = b1 + b2; V[6 * vStride + o] = b2 - b1; V[7 * vStride + o] = b1 - b3;
          V[8 * vStride + o] = c0 - c2; V[9 * vStride + o] = c1 + c2; V[10 * vStride + o] = c2 - c1; V[11 * vStride + o] = c1 - c3;
          V[12 * vStride + o] = d0 - d2; V[13 * vStride + o] = d1 + d2; V[14 * vStride + o] = d2 - d1; V[15 * vStride + o] = d1 - d3;
        }
      }
      // M_ξ = U_ξ · V_ξ (Cout × nt), row stride ntPad.
      for (let xi = 0; xi < 16; xi++) gemmW(Ap, xi * stride, mPanels, V, xi * vStride, ntPad / NR, cin, C, xi * cStride, ntPad);
      // y tile = Aᵀ M A, plus bias, clipped at odd edges.
      for (let co = 0; co < cout; co++) {
        const bv = bias === null ? 0 : bias[co], row = co * ntPad, yc = yo + co * P;
        for (let j = 0; j < nt; j++) {
          const m = row + j;
          const m0 = C[m], m1 = C[cStride + m], m2 = C[2 * cStride + m], m3 = C[3 * cStride + m];
          const m4 = C[4 * cStride + m], m5 = C[5 * cStride + m], m6 = C[6 * cStride + m], m7 = C[7 * cStride + m];
          const m8 = C[8 * cStride + m], m9 = C[9 * cStride + m], m10 = C[10 * cStride + m], m11 = C[11 * cStride + m];
          const m12 = C[12 * cStride + m], m13 = C[13 * cStride + m], m14 = C[14 * cStride + m], m15 = C[15 * cStride + m];
          // Aᵀ M: rows 0+1+2 and 1−2−3.
          const s0 = m0 + m4 + m8, s1 = m1 + m5 + m9, s2 = m2 + m6 + m10, s3 = m3 + m7 + m11;
          const q0 = m4 - m8 - m12, q1 = m5 - m9 - m13, q2 = m6 - m10 - m14, q3 = m7 - m11 - m15;
          const t = t0 + j, ty = Math.floor(t / tX), tx = t - ty * tX;
          const oy = 2 * ty, ox = 2 * tx, yi = yc + oy * ow + ox;
          const right = ox + 1 < ow, down = oy + 1 < oh;
          y[yi] = s0 + s1 + s2 + bv;
          if (right) y[yi + 1] = s1 - s2 - s3 + bv;
          if (down) {
            y[yi + ow] = q0 + q1 + q2 + bv;
            if (right) y[yi + ow + 1] = q1 - q2 - q3 + bv;
          }
        }
      }
    }
  }
}

/** G of F(4×4, 3×3) (6×3, row-major). */
const G4 = [1 / 4, 0, 0, -1 / 6, -1 / 6, -1 / 6, -1 / 6, 1 / 6, -1 / 6, 1 / 24, 1 / 12, 1 / 6, 1 / 24, -1 / 12, 1 / 6, 0, 0, 1];

/** transformKernels for F(4×4, 3×3): U = G g Gᵀ (6×6), packed as 36 A operands. */
function transformKernels4(w: Float32Array, M: number, K: number, rs: number, cs: number, rotate: boolean): { mPanels: number; stride: number } {
  const mPanels = Math.ceil(M / MR), stride = mPanels * MR * K, step = M * K;
  const u = scratch(SLOT.weights, 36 * step);
  const g = new Float64Array(9), t = new Float64Array(18);
  for (let r = 0; r < M; r++) {
    for (let c = 0; c < K; c++) {
      const k = r * rs + c * cs;
      for (let i = 0; i < 9; i++) g[i] = w[k + (rotate ? 8 - i : i)];
      // t = G g (6×3).
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 3; j++) t[3 * i + j] = G4[3 * i] * g[j] + G4[3 * i + 1] * g[3 + j] + G4[3 * i + 2] * g[6 + j];
      }
      // U = t Gᵀ (6×6), written as u[ξ][r][c] with ξ = 6i + j.
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 6; j++) {
          u[(6 * i + j) * step + r * K + c] = t[3 * i] * G4[3 * j] + t[3 * i + 1] * G4[3 * j + 1] + t[3 * i + 2] * G4[3 * j + 2];
        }
      }
    }
  }
  const Ap = scratch(SLOT.packA, 36 * stride);
  packAll(u, 36, M, K, Ap);
  return { mPanels, stride };
}

/** forwardWinograd with F(4×4, 3×3): 36 products for 16 outputs (2.25 multiply-adds per output and channel pair). */
export function forwardWinograd4(s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const k = transformKernels4(w, s.cout, s.cin, s.cin * 9, 9, false);
  winograd4(s, x, k.mPanels, k.stride, bias, y);
}

/** inputGradWinograd with F(4×4, 3×3). */
export function inputGradWinograd4(s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { cin, cout } = s;
  const k = transformKernels4(w, cin, cout, 9, cin * 9, true);
  const t: Conv2dGeometry = {
    n: s.n, cin: cout, h: s.oh, w: s.ow, cout: cin, oh: s.h, ow: s.w, kh: 3, kw: 3, sh: 1, sw: 1,
    ph: 2 - s.ph, pw: 2 - s.pw, dh: 1, dw: 1,
  };
  winograd4(t, gy, k.mPanels, k.stride, null, gx);
}

/** The F(4×4, 3×3) tiled product once the kernels are transformed and packed in SLOT.packA. */
function winograd4(s: Conv2dGeometry, x: Float32Array, mPanels: number, stride: number, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, cout, h, w: wd, ph, pw, oh, ow } = s;
  const Ap = scratch(SLOT.packA, 36 * stride);
  const tY = Math.ceil(oh / 4), tX = Math.ceil(ow / 4), tiles = tY * tX;
  // Padded plane covering every tile's 6×6 window (extra zeros when the output is not a multiple of 4).
  const HP = 4 * tY + 2, WP = 4 * tX + 2, plane = HP * WP;
  const xp = scratch(SLOT.accum, cin * plane);
  const TB = Math.min(roundUp(tiles, NR), Math.max(NR, roundUp(Math.floor(BLOCK_BUDGET / (36 * Math.max(cin, cout))), NR)));
  const vStride = cin * TB, cStride = mPanels * MR * TB;
  const V = scratch(SLOT.packB, 36 * vStride);
  const C = scratch(SLOT.block, 36 * cStride);
  const T = new Float64Array(36);
  const P = oh * ow;
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < cin; ci++) {
      const xo = (b * cin + ci) * h * wd, po = ci * plane;
      const c0 = Math.max(0, pw), c1 = Math.min(WP, wd + pw);
      for (let r = 0; r < HP; r++) {
        const sr = r - ph, o = po + r * WP;
        if (sr < 0 || sr >= h || c1 <= c0) {
          xp.fill(0, o, o + WP);
          continue;
        }
        if (c0 > 0) xp.fill(0, o, o + c0);
        const src = xo + sr * wd - pw;
        for (let c = c0; c < c1; c++) xp[o + c] = x[src + c];
        if (c1 < WP) xp.fill(0, o + c1, o + WP);
      }
    }
    const yo = b * cout * P;
    for (let t0 = 0; t0 < tiles; t0 += TB) {
      const nt = Math.min(TB, tiles - t0), ntPad = roundUp(nt, NR);
      for (let j = 0; j < ntPad; j++) {
        const ob = (j >> 2) * cin * NR + (j & 3);
        if (j >= nt) {
          // Padding columns of the last panel: finite zeros, results dropped.
          for (let ci = 0; ci < cin; ci++) for (let xi = 0; xi < 36; xi++) V[xi * vStride + ob + ci * NR] = 0;
          continue;
        }
        const t = t0 + j, ty = Math.floor(t / tX), tx = t - ty * tX, rb = 4 * ty * WP + 4 * tx;
        for (let ci = 0; ci < cin; ci++) {
          const o = ob + ci * NR, r = ci * plane + rb;
          // Bᵀ d: rows combined, one column at a time.
          for (let c = 0; c < 6; c++) {
            const d0 = xp[r + c], d1 = xp[r + WP + c], d2 = xp[r + 2 * WP + c];
            const d3 = xp[r + 3 * WP + c], d4 = xp[r + 4 * WP + c], d5 = xp[r + 5 * WP + c];
            T[c] = 4 * d0 - 5 * d2 + d4;
            T[6 + c] = d3 + d4 - 4 * (d1 + d2);
            T[12 + c] = 4 * (d1 - d2) + d4 - d3;
            T[18 + c] = 2 * (d3 - d1) + d4 - d2;
            T[24 + c] = 2 * (d1 - d3) + d4 - d2;
            T[30 + c] = 4 * d1 - 5 * d3 + d5;
          }
          // (Bᵀ d) B: columns combined, one row at a time.
          for (let i = 0; i < 6; i++) {
            const d0 = T[6 * i], d1 = T[6 * i + 1], d2 = T[6 * i + 2], d3 = T[6 * i + 3], d4 = T[6 * i + 4], d5 = T[6 * i + 5];
            const v = 6 * i * vStride + o;
            V[v] = 4 * d0 - 5 * d2 + d4;
            V[v + vStride] = d3 + d4 - 4 * (d1 + d2);
            V[v + 2 * vStride] = 4 * (d1 - d2) + d4 - d3;
            V[v + 3 * vStride] = 2 * (d3 - d1) + d4 - d2;
            V[v + 4 * vStride] = 2 * (d1 - d3) + d4 - d2;
            V[v + 5 * vStride] = 4 * d1 - 5 * d3 + d5;
          }
        }
      }
      for (let xi = 0; xi < 36; xi++) gemmW(Ap, xi * stride, mPanels, V, xi * vStride, ntPad / NR, cin, C, xi * cStride, ntPad);
      // y tile = Aᵀ M A, plus bias, clipped at ragged edges.
      for (let j = 0; j < nt; j++) {
        const t = t0 + j, ty = Math.floor(t / tX), tx = t - ty * tX;
        const oy = 4 * ty, ox = 4 * tx;
        const rows = Math.min(4, oh - oy), cols = Math.min(4, ow - ox);
        for (let co = 0; co < cout; co++) {
          const bv = bias === null ? 0 : bias[co], m = co * ntPad + j, yc = yo + co * P;
          // Aᵀ M: rows combined, one column at a time (T as 4×6).
          for (let c = 0; c < 6; c++) {
            const q = m + c * cStride;
            const m0 = C[q], m1 = C[q + 6 * cStride], m2 = C[q + 12 * cStride];
            const m3 = C[q + 18 * cStride], m4 = C[q + 24 * cStride], m5 = C[q + 30 * cStride];
            T[c] = m0 + m1 + m2 + m3 + m4;
            T[6 + c] = m1 - m2 + 2 * (m3 - m4);
            T[12 + c] = m1 + m2 + 4 * (m3 + m4);
            T[18 + c] = m1 - m2 + 8 * (m3 - m4) + m5;
          }
          for (let i = 0; i < rows; i++) {
            const m0 = T[6 * i], m1 = T[6 * i + 1], m2 = T[6 * i + 2], m3 = T[6 * i + 3], m4 = T[6 * i + 4], m5 = T[6 * i + 5];
            const yi = yc + (oy + i) * ow + ox;
            if (cols === 4) {
              y[yi] = m0 + m1 + m2 + m3 + m4 + bv;
              y[yi + 1] = m1 - m2 + 2 * (m3 - m4) + bv;
              y[yi + 2] = m1 + m2 + 4 * (m3 + m4) + bv;
              y[yi + 3] = m1 - m2 + 8 * (m3 - m4) + m5 + bv;
            } else {
              const v = [m0 + m1 + m2 + m3 + m4, m1 - m2 + 2 * (m3 - m4), m1 + m2 + 4 * (m3 + m4), m1 - m2 + 8 * (m3 - m4) + m5];
              for (let c = 0; c < cols; c++) y[yi + c] = v[c] + bv;
            }
          }
        }
      }
    }
  }
}
