/**
 * The transforms of Winograd's F(2×2, 3×3) and F(4×4, 3×3) (Lavin & Gray 2015) as data for conv2d-winograd.ts's one
 * tiled product: per tile, the kernel transform U = G g Gᵀ, the input transform V = Bᵀ d B and the output transform
 * y = Aᵀ M A. Each is written out by hand in the order of its additions, so the results do not depend on the loop
 * that calls it (the F(2×2) ones factored by hand, the F(4×4) ones in row-then-column passes).
 */
import { NR } from './gemm';

/** The buffers and sizes of one Winograd call that an input or output transform reads and writes. */
export interface WinogradPass {
  cin: number; cout: number; oh: number; ow: number;
  /** Zero-padded Float64 planes of the current image, `plane` values a channel, rows `WP` wide. */
  xp: Float64Array; plane: number; WP: number;
  /** Tiles per row of the output. */
  tX: number;
  /** The transformed inputs, position ξ at ξ·vStride, in column panels of NR tiles. */
  V: Float64Array; vStride: number;
  /** The products M_ξ, position ξ at ξ·cStride, one row of ntPad tiles per output channel. */
  C: Float64Array; cStride: number;
  bias: Float32Array | null; y: Float32Array;
}

/** One Winograd F(m×m, 3×3): its output tile, its transformed positions and its three transforms. */
export interface WinogradTile {
  /** Output cells a side of a tile. */
  m: 2 | 4;
  /** Positions of a transformed tile, (m + 2)²: one product each. */
  positions: number;
  /** U = G g Gᵀ of the 3×3 plane `g`, position ξ written to u[ξ·step + o]. */
  kernel(g: Float64Array, u: Float64Array, o: number, step: number): void;
  /** V = Bᵀ d B of tiles t0 … t0 + nt − 1 on every channel; columns nt … ntPad − 1 of the last panel are zeroed. */
  input(p: WinogradPass, t0: number, nt: number, ntPad: number): void;
  /** The output tiles t0 … t0 + nt − 1 of the image whose outputs start at `yo`: Aᵀ M A plus bias, clipped at the map's edges. */
  output(p: WinogradPass, t0: number, nt: number, ntPad: number, yo: number): void;
}

/** F(2×2, 3×3): 16 products for 4 outputs (4 multiply-adds per output and channel pair instead of 9). */
export const WINOGRAD_F2: WinogradTile = {
  m: 2,
  positions: 16,
  kernel(g, u, o0, step) {
    // t = G g (4×3), then U = t Gᵀ (4×4) row by row.
    for (let i = 0; i < 4; i++) {
      let a: number, b: number, d: number;
      if (i === 0) { a = g[0]; b = g[1]; d = g[2]; }
      else if (i === 3) { a = g[6]; b = g[7]; d = g[8]; }
      else {
        const sg = i === 1 ? 1 : -1;
        a = 0.5 * (g[0] + sg * g[3] + g[6]); b = 0.5 * (g[1] + sg * g[4] + g[7]); d = 0.5 * (g[2] + sg * g[5] + g[8]);
      }
      const o = 4 * i * step + o0;
      u[o] = a;
      u[o + step] = 0.5 * (a + b + d);
      u[o + 2 * step] = 0.5 * (a - b + d);
      u[o + 3 * step] = d;
    }
  },
  input(p, t0, nt, ntPad) {
    const { cin, xp, plane, WP, tX, V, vStride } = p;
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
  },
  output(p, t0, nt, ntPad, yo) {
    const { cout, oh, ow, tX, C, cStride, bias, y } = p;
    const P = oh * ow;
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
  },
};

/** G of F(4×4, 3×3) (6×3, row-major). */
const G4 = [1 / 4, 0, 0, -1 / 6, -1 / 6, -1 / 6, -1 / 6, 1 / 6, -1 / 6, 1 / 24, 1 / 12, 1 / 6, 1 / 24, -1 / 12, 1 / 6, 0, 0, 1];
/** G g of one plane (6×3): scratch of F(4×4)'s kernel transform. */
const GG4 = new Float64Array(18);
/** A 6×6 tile half transformed (rows combined, then columns): scratch of F(4×4)'s input and output transforms. */
const HALF4 = new Float64Array(36);

/** F(4×4, 3×3): 36 products for 16 outputs (2.25 multiply-adds per output and channel pair). */
export const WINOGRAD_F4: WinogradTile = {
  m: 4,
  positions: 36,
  kernel(g, u, o0, step) {
    const t = GG4;
    // t = G g (6×3).
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 3; j++) t[3 * i + j] = G4[3 * i] * g[j] + G4[3 * i + 1] * g[3 + j] + G4[3 * i + 2] * g[6 + j];
    }
    // U = t Gᵀ (6×6), position ξ = 6i + j.
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        u[(6 * i + j) * step + o0] = t[3 * i] * G4[3 * j] + t[3 * i + 1] * G4[3 * j + 1] + t[3 * i + 2] * G4[3 * j + 2];
      }
    }
  },
  input(p, t0, nt, ntPad) {
    const { cin, xp, plane, WP, tX, V, vStride } = p;
    const T = HALF4;
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
  },
  output(p, t0, nt, ntPad, yo) {
    const { cout, oh, ow, tX, C, cStride, bias, y } = p;
    const T = HALF4, P = oh * ow;
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
  },
};
