/**
 * Winograd F(m×m, 3×3) for 3×3, stride-1, dilation-1 correlations (Lavin & Gray 2015): each m×m output tile is
 * Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for the (m+2)×(m+2) input tile d around it, so the channel sum becomes (m+2)²
 * independent products U_ξ (Cout × Cin) · V_ξ (Cin × tiles), one per position ξ of the transformed tile. The tile
 * is a parameter: F(2×2, 3×3) (16 products, 4 multiply-adds per output and channel pair instead of 9) or F(4×4, 3×3)
 * (36 products, 2.25), whose transforms are data (conv2d-winograd-tiles.ts). Transforms and products run in double
 * precision, so even F(4×4)'s larger transform constants leave the float32 result equal to the direct definition's
 * up to rounding.
 */
import type { Conv2dGeometry } from './conv2d-geometry';
import { WINOGRAD_F2, WINOGRAD_F4, type WinogradPass, type WinogradTile } from './conv2d-winograd-tiles';
import { MR, NR, roundUp } from './gemm';
import { padPlane } from './padded-plane';
import { scratch, SLOT } from './scratch';

/** Output tiles of the Winograd passes here, F(2×2, 3×3) and F(4×4, 3×3): a window aligned to them repeats their tiling. */
export const WINOGRAD_TILES = [2, 4] as const;

/** An output tile side Winograd takes. */
export type WinogradTileSide = (typeof WINOGRAD_TILES)[number];

const TILES: Record<WinogradTileSide, WinogradTile> = { 2: WINOGRAD_F2, 4: WINOGRAD_F4 };

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

/** Doubles of transformed input per tile block (positions·Cin·TB): about 1 MiB, so a block's panels stay in L2. */
const BLOCK_BUDGET = 131072;

/**
 * U = G g Gᵀ for every 3×3 kernel plane, packed as one GEMM A operand of M × K (packRows layout) per position of the
 * tile, operand ξ at ξ·stride. Plane (r, c) is w[r·rs + c·cs ..] read forwards, or backwards when `rotate` (the 180°
 * turn). Returns the panel count and that stride.
 */
function transformKernels(f: WinogradTile, w: Float32Array, M: number, K: number, rs: number, cs: number, rotate: boolean): { mPanels: number; stride: number } {
  const mPanels = Math.ceil(M / MR), stride = mPanels * MR * K, step = M * K;
  const u = scratch(SLOT.weights, f.positions * step);
  const g = new Float64Array(9);
  for (let r = 0; r < M; r++) {
    for (let c = 0; c < K; c++) {
      const k = r * rs + c * cs;
      for (let i = 0; i < 9; i++) g[i] = w[k + (rotate ? 8 - i : i)];
      // Written as u[ξ][r][c].
      f.kernel(g, u, r * K + c, step);
    }
  }
  const Ap = scratch(SLOT.packA, f.positions * stride);
  packAll(u, f.positions, M, K, Ap);
  return { mPanels, stride };
}

/**
 * y = bias + correlation of x (N×Cin×H×W, zero-padded by ph, pw — negative crops) with the 3×3 OIHW kernels `w`,
 * stride 1, dilation 1, in output tiles `tile` a side. Shape fields other than those are taken from `s` (oh = H + 2ph − 2,
 * ow likewise).
 */
export function forwardWinograd(tile: WinogradTileSide, s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const f = TILES[tile];
  const k = transformKernels(f, w, s.cout, s.cin, s.cin * 9, 9, false);
  winograd(f, s, x, k.mPanels, k.stride, bias, y);
}

/**
 * Stride-1 input gradient through the same product: gy padded by 2 − p, correlated with the kernels rotated 180°
 * and their channel axes swapped. `w` is OIHW (already rotated for true convolution).
 */
export function inputGradWinograd(tile: WinogradTileSide, s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { cin, cout } = s;
  const f = TILES[tile];
  const k = transformKernels(f, w, cin, cout, 9, cin * 9, true);
  const t: Conv2dGeometry = {
    n: s.n, cin: cout, h: s.oh, w: s.ow, cout: cin, oh: s.h, ow: s.w, kh: 3, kw: 3, sh: 1, sw: 1,
    ph: 2 - s.ph, pw: 2 - s.pw, dh: 1, dw: 1,
  };
  winograd(f, t, gy, k.mPanels, k.stride, null, gx);
}

/** The tiled product once the kernels are transformed and packed in SLOT.packA. */
function winograd(f: WinogradTile, s: Conv2dGeometry, x: Float32Array, mPanels: number, stride: number, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, cout, h, w: wd, ph, pw, oh, ow } = s;
  const { m, positions } = f;
  const Ap = scratch(SLOT.packA, positions * stride);
  const tY = Math.ceil(oh / m), tX = Math.ceil(ow / m), tiles = tY * tX;
  // Padded plane covering every tile's (m+2)×(m+2) window (extra zeros when the output is not a multiple of m).
  const HP = m * tY + 2, WP = m * tX + 2, plane = HP * WP;
  const xp = scratch(SLOT.accum, cin * plane);
  const TB = Math.min(roundUp(tiles, NR), Math.max(NR, roundUp(Math.floor(BLOCK_BUDGET / (positions * Math.max(cin, cout))), NR)));
  const vStride = cin * TB, cStride = mPanels * MR * TB;
  const V = scratch(SLOT.packB, positions * vStride);
  const C = scratch(SLOT.block, positions * cStride);
  const pass: WinogradPass = { cin, cout, oh, ow, xp, plane, WP, tX, V, vStride, C, cStride, bias, y };
  const P = oh * ow;
  for (let b = 0; b < n; b++) {
    // Zero-padded Float64 copies of this image's planes, HP × WP each (extra zeros past the padded input).
    for (let ci = 0; ci < cin; ci++) padPlane(x, (b * cin + ci) * h * wd, h, wd, ph, pw, xp, ci * plane, HP, WP);
    const yo = b * cout * P;
    for (let t0 = 0; t0 < tiles; t0 += TB) {
      const nt = Math.min(TB, tiles - t0), ntPad = roundUp(nt, NR);
      // V_ξ in column panels of NR tiles: V[ξ·vStride + ((j>>2)·Cin + ci)·NR + (j&3)].
      f.input(pass, t0, nt, ntPad);
      // M_ξ = U_ξ · V_ξ (Cout × nt), row stride ntPad.
      for (let xi = 0; xi < positions; xi++) gemmW(Ap, xi * stride, mPanels, V, xi * vStride, ntPad / NR, cin, C, xi * cStride, ntPad);
      // y tile = Aᵀ M A, plus bias, clipped at ragged edges.
      f.output(pass, t0, nt, ntPad, yo);
    }
  }
}
