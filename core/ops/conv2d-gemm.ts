/**
 * conv2d's fast path: im2col panels and a packed, register-tiled matrix product for the forward pass, the input
 * gradient and the weight gradient. Positions are processed in blocks so panels stay in cache and scratch is bounded.
 */
import { gemmIndirectRow, gemmPacked, MR, NR, packRows, roundUp } from './gemm';
import { padPlane } from './padded-plane';
import type { Conv2dGeometry } from './conv2d-geometry';
import { col2im, im2col } from './im2col';
import { scratch, SLOT } from './scratch';

/** Doubles of panel data per block: about 1 MiB, well inside L2 with the weights beside it. */
const BLOCK_BUDGET = 131072;

/**
 * y[n, co, p] = bias[co] + Σ_k A[co, k]·patch[k, p], with A already packed (packRows of the OIHW weights seen as
 * Cout × K). Also serves the stride-1 input gradient, which is this with other geometry and weights.
 * Rows a multiple of 4 wide (or wide enough that a ragged last group costs little) read the patches in place;
 * narrow ragged maps (LeNet's 10×10) copy them into position blocks first.
 */
function forwardPacked(s: Conv2dGeometry, x: Float32Array, Ap: Float64Array, mPanels: number, bias: Float32Array | null, y: Float32Array): void {
  if (s.ow % NR === 0 || s.ow >= 32) forwardInPlace(s, x, Ap, mPanels, bias, y);
  else forwardBlocks(s, x, Ap, mPanels, bias, y);
}

/**
 * forwardPacked over blocks of positions: im2col writes each block's patches row-major (the tile reads 4
 * neighbours per row, and a strip of them stays in L1 across row panels). Columns past a block's end keep stale
 * (finite) values whose results are dropped.
 */
function forwardBlocks(s: Conv2dGeometry, x: Float32Array, Ap: Float64Array, mPanels: number, bias: Float32Array | null, y: Float32Array): void {
  const K = s.cin * s.kh * s.kw, P = s.oh * s.ow, M = s.cout;
  const PB = Math.min(roundUp(P, NR), Math.max(NR, roundUp(Math.floor(BLOCK_BUDGET / K), NR)));
  const Bp = scratch(SLOT.packB, PB * K);
  const Cb = scratch(SLOT.block, mPanels * MR * PB);
  for (let n = 0; n < s.n; n++) {
    const xo = n * s.cin * s.h * s.w, yo = n * M * P;
    for (let p0 = 0; p0 < P; p0 += PB) {
      const np = Math.min(PB, P - p0), npad = roundUp(np, NR);
      im2col(x, xo, s, p0, np, Bp, 4 * npad, npad, 1);
      Cb.fill(0, 0, mPanels * MR * npad);
      gemmPacked(Ap, mPanels, Bp, npad / NR, NR, npad, K, Cb, npad);
      for (let co = 0; co < M; co++) {
        const b = bias === null ? 0 : bias[co], src = co * npad, dst = yo + co * P + p0;
        for (let t = 0; t < np; t++) y[dst + t] = Cb[src + t] + b;
      }
    }
  }
}

/**
 * forwardPacked without copying patches: each input plane is widened once into a zero-padded Float64 plane,
 * and the product reads every tap in place through a table of tap offsets, one output row at a time.
 */
function forwardInPlace(s: Conv2dGeometry, x: Float32Array, Ap: Float64Array, mPanels: number, bias: Float32Array | null, y: Float32Array): void {
  const { cin, h, w, sh, sw, ph, pw, oh, ow } = s;
  const M = s.cout, P = oh * ow;
  const hp = h + 2 * ph, wp = w + 2 * pw, plane = hp * wp;
  const groups = Math.ceil(ow / NR), owPad = groups * NR;
  // The last group of a row may read up to 3 positions past the map: slack keeps those reads inside the array
  // (their results are dropped), since an out-of-bounds read would send V8 down a slow path.
  const xp = scratch(SLOT.packB, cin * plane + NR * sw + wp);
  xp.fill(0, cin * plane);
  const Cb = scratch(SLOT.block, mPanels * MR * owPad);
  const off = tapOffsets(s, plane, wp);
  for (let n = 0; n < s.n; n++) {
    for (let ci = 0; ci < cin; ci++) padPlane(x, (n * cin + ci) * h * w, h, w, ph, pw, xp, ci * plane);
    const yo = n * M * P;
    for (let oy = 0; oy < oh; oy++) {
      gemmIndirectRow(Ap, mPanels, xp, oy * sh * wp, off, sw, groups, Cb, owPad);
      for (let co = 0; co < M; co++) {
        const b = bias === null ? 0 : bias[co], src = co * owPad, dst = yo + co * P + oy * ow;
        for (let ox = 0; ox < ow; ox++) y[dst + ox] = Cb[src + ox] + b;
      }
    }
  }
}

let offsets = new Int32Array(0);

/** Offsets of every kernel tap (ci, ky, kx) in the stack of padded planes, reused between calls of one size. */
function tapOffsets(s: Conv2dGeometry, plane: number, wp: number): Int32Array {
  const K = s.cin * s.kh * s.kw;
  if (offsets.length !== K) offsets = new Int32Array(K);
  let k = 0;
  for (let ci = 0; ci < s.cin; ci++) {
    for (let ky = 0; ky < s.kh; ky++) for (let kx = 0; kx < s.kw; kx++) offsets[k++] = ci * plane + ky * s.dh * wp + kx * s.dw;
  }
  return offsets;
}

/** Forward conv2d through the packed product; `w` is OIHW (already rotated for true convolution). */
export function forwardGemm(s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const K = s.cin * s.kh * s.kw;
  const Ap = scratch(SLOT.packA, roundUp(s.cout, MR) * K);
  const mPanels = packRows(w, 0, K, s.cout, K, Ap);
  forwardPacked(s, x, Ap, mPanels, bias, y);
}

/**
 * Input gradient. With stride 1 it is itself a convolution: gy padded by d(k−1)−p (negative crops) correlated
 * with the kernel rotated 180° and its channel axes swapped, so it reuses the forward path and writes each cell
 * once. That correlation also multiplies the padding's zeros, so when the input is much larger than the output
 * (a "valid" conv on a small map), and for other strides, it goes through Wᵀ·gy and col2im instead.
 */
export function inputGradGemm(s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { cin, cout, kh, kw } = s;
  const khw = kh * kw;
  if (s.sh === 1 && s.sw === 1 && s.h * s.w <= 1.3 * s.oh * s.ow) {
    const T = cout * khw;
    const Wt = scratch(SLOT.weights, cin * T);
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) {
        const src = (co * cin + ci) * khw, dst = ci * T + co * khw;
        for (let i = 0; i < khw; i++) Wt[dst + i] = w[src + khw - 1 - i];
      }
    }
    const Ap = scratch(SLOT.packA, roundUp(cin, MR) * T);
    const mPanels = packRows(Wt, 0, T, cin, T, Ap);
    const t: Conv2dGeometry = {
      n: s.n, cin: cout, h: s.oh, w: s.ow, cout: cin, oh: s.h, ow: s.w, kh, kw, sh: 1, sw: 1,
      ph: s.dh * (kh - 1) - s.ph, pw: s.dw * (kw - 1) - s.pw, dh: s.dh, dw: s.dw,
    };
    forwardPacked(t, gy, Ap, mPanels, null, gx);
    return;
  }
  const K = cin * khw, P = s.oh * s.ow;
  // A = Wᵀ (K × Cout), packed from the OIHW weights read column-wise.
  const Wt = scratch(SLOT.weights, K * cout);
  for (let co = 0; co < cout; co++) for (let k = 0; k < K; k++) Wt[k * cout + co] = w[co * K + k];
  const Ap = scratch(SLOT.packA, roundUp(K, MR) * cout);
  const mPanels = packRows(Wt, 0, cout, K, cout, Ap);
  const PB = Math.min(roundUp(P, NR), Math.max(NR, roundUp(Math.floor(BLOCK_BUDGET / Math.max(K, cout)), NR)));
  const Bp = scratch(SLOT.packB, PB * cout);
  const Cb = scratch(SLOT.block, mPanels * MR * PB);
  const acc = scratch(SLOT.accum, s.n * cin * s.h * s.w);
  acc.fill(0, 0, s.n * cin * s.h * s.w);
  for (let n = 0; n < s.n; n++) {
    for (let p0 = 0; p0 < P; p0 += PB) {
      const np = Math.min(PB, P - p0), npad = roundUp(np, NR);
      // B = gy block (Cout × np) in column panels.
      for (let co = 0; co < cout; co++) {
        const src = (n * cout + co) * P + p0;
        for (let t = 0; t < np; t++) Bp[(t >> 2) * 4 * cout + co * 4 + (t & 3)] = gy[src + t];
      }
      Cb.fill(0, 0, mPanels * MR * npad);
      gemmPacked(Ap, mPanels, Bp, npad / NR, NR * cout, NR, cout, Cb, npad);
      col2im(Cb, npad, s, p0, np, acc, n * cin * s.h * s.w);
    }
  }
  for (let i = 0; i < gx.length; i++) gx[i] = acc[i];
}

/** Weight gradient: gw[co, k] = Σ_n Σ_p gy[n, co, p]·patch[k, p], a product whose depth runs over positions. */
export function weightGradGemm(s: Conv2dGeometry, x: Float32Array, gy: Float32Array, gw: Float32Array): void {
  const K = s.cin * s.kh * s.kw, P = s.oh * s.ow, M = s.cout;
  const Kpad = roundUp(K, NR), Mpad = roundUp(M, MR);
  const PB = Math.min(P, 512);
  const Ap = scratch(SLOT.packA, Mpad * PB);
  const Bp = scratch(SLOT.packB, Kpad * PB);
  const acc = scratch(SLOT.accum, Mpad * Kpad);
  acc.fill(0, 0, Mpad * Kpad);
  for (let n = 0; n < s.n; n++) {
    const xo = n * s.cin * s.h * s.w;
    for (let p0 = 0; p0 < P; p0 += PB) {
      const np = Math.min(PB, P - p0);
      const mPanels = packRows(gy, n * M * P + p0, P, M, np, Ap);
      // Taps past K would add garbage rows to acc; they are never read back, but must stay finite: zero them.
      if (Kpad > K) Bp.fill(0, (Kpad / NR - 1) * np * NR, (Kpad / NR) * np * NR);
      im2col(x, xo, s, p0, np, Bp, 4 * np, 1, 4);
      gemmPacked(Ap, mPanels, Bp, Kpad / NR, NR * np, NR, np, acc, Kpad);
    }
  }
  for (let co = 0; co < M; co++) for (let k = 0; k < K; k++) gw[co * K + k] = acc[co * Kpad + k];
}
