/**
 * conv2d's three passes in WebAssembly, the twins of ../conv2d-gemm.ts: im2col blocks and the SIMD product of
 * gemm.as.ts. Every pass works on float32 memory laid out by the JavaScript side (see ../conv2d-wasm.ts); each
 * takes a scratch address and needs as many floats there as its *Scratch function says.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, SH, SW, W } from './geometry.as';
import { gemm, gemmDeep, pack4, pack4T } from './gemm.as';
import { col2im, im2col } from './im2col.as';
import { at, roundUp } from './inline.as';

/** Floats of patch data per block: 256 KiB, so a block and the packed weights sit in L2 together. */
const BLOCK_BUDGET: i32 = 65536;
/** Depth above which the forward's product goes a slice at a time (gemmDeep), and its columns per block then. */
const DEEP: i32 = 256, DEEP_BLOCK: i32 = 256;
/** Positions per weight-gradient block: a strip of 8 transposed-patch columns that deep stays in L1. */
const WG_BLOCK: i32 = 256;
/** Floats past each block that a ragged last column group may read (its results are dropped). */
const SLACK: i32 = 16;

/**
 * Forward columns per block. Up to a depth of DEEP the block fills BLOCK_BUDGET; deeper products (512 channels ×
 * 3×3 is 4608 deep) take DEEP_BLOCK columns whatever their depth: gemmDeep walks them a depth slice at a time, so
 * the packed weights are read once per block, and a budget-sized block of 8 columns would read all 9 MB of them
 * for every 8 positions.
 */
function forwardBlock(K: i32): i32 {
  const P = OH * OW;
  return min(roundUp(P, 8), K > DEEP ? DEEP_BLOCK : max(8, BLOCK_BUDGET / K / 8 * 8));
}

export function forwardScratch(): i32 {
  const K = CIN * KH * KW, PB = forwardBlock(K);
  return roundUp(COUT, 4) * K + K * PB + SLACK + roundUp(COUT, 4) * PB;
}

/** y[n, co, p] = bias[co] + Σ_k w[co, k]·patch[k, p]; `bias` 0 means none. */
export function forward(x: usize, w: usize, bias: usize, y: usize, scratch: usize): void {
  const K = CIN * KH * KW, P = OH * OW, M = COUT, PB = forwardBlock(K);
  const Ap = scratch, Bp = at(Ap, roundUp(M, 4) * K), Cb = at(Bp, K * PB + SLACK);
  const mPanels = pack4(w, K, M, K, Ap);
  // A 1×1 stride-1 unpadded conv's patches are the input itself: the product reads it in place (its ragged last
  // columns read into the next plane or the buffer's slack, and land in dropped columns).
  const pointwise = KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;
  for (let n = 0; n < N; n++) {
    const xn = at(x, n * CIN * H * W), yn = at(y, n * M * P);
    for (let p0 = 0; p0 < P; p0 += PB) {
      const np = min(PB, P - p0), npad = roundUp(np, 8);
      if (!pointwise) im2col(xn, p0, np, Bp, 4 * npad, npad, 1);
      const B = pointwise ? at(xn, p0) : Bp, ldb = pointwise ? P : npad;
      if (K > DEEP) gemmDeep(Ap, mPanels, B, ldb, npad >> 3, K, Cb, npad);
      else gemm(Ap, mPanels, B, ldb, npad >> 3, K, Cb, npad, false);
      for (let co = 0; co < M; co++) {
        const b = bias == 0 ? <f32>0 : load<f32>(at(bias, co));
        let s = at(Cb, co * npad), d = at(yn, co * P + p0);
        let t = 0;
        const bv = f32x4.splat(b);
        for (; t + 4 <= np; t += 4, s += 16, d += 16) v128.store(d, f32x4.add(v128.load(s), bv));
        for (; t < np; t++, s += 4, d += 4) store<f32>(d, load<f32>(s) + b);
      }
    }
  }
}

export function weightGradScratch(): i32 {
  const K = CIN * KH * KW, P = OH * OW, PB = min(P, WG_BLOCK);
  return roundUp(COUT, 4) * PB + PB * roundUp(K, 8) + SLACK + roundUp(COUT, 4) * roundUp(K, 8);
}

/** gw[co, k] = Σ_n Σ_p gy[n, co, p]·patch[k, p]: the product's depth runs over positions, B is the patches transposed. */
export function weightGrad(x: usize, gy: usize, gw: usize, scratch: usize): void {
  const K = CIN * KH * KW, P = OH * OW, M = COUT, PB = min(P, WG_BLOCK);
  const Kpad = roundUp(K, 8), Mpad = roundUp(M, 4);
  const Ap = scratch, Bp = at(Ap, Mpad * PB), acc = at(Bp, PB * Kpad + SLACK);
  memory.fill(acc, 0, <usize>(Mpad * Kpad) << 2);
  for (let n = 0; n < N; n++) {
    const xn = at(x, n * CIN * H * W);
    for (let p0 = 0; p0 < P; p0 += PB) {
      const np = min(PB, P - p0);
      const mPanels = pack4(at(gy, n * M * P + p0), P, M, np, Ap);
      im2col(xn, p0, np, Bp, 4, 1, Kpad);
      gemm(Ap, mPanels, Bp, Kpad, Kpad >> 3, np, acc, Kpad, true);
    }
  }
  for (let co = 0; co < M; co++) memory.copy(at(gw, co * K), at(acc, co * Kpad), <usize>K << 2);
}

function inputGradBlock(K: i32): i32 {
  const P = OH * OW;
  return min(roundUp(P, 8), max(8, BLOCK_BUDGET / max(K, COUT) / 8 * 8));
}

export function inputGradScratch(): i32 {
  const K = CIN * KH * KW;
  return roundUp(K, 4) * COUT + roundUp(K, 4) * inputGradBlock(K);
}

/**
 * gx = col2im(Wᵀ·gy), one block of positions at a time: for strides above 1, and for maps much larger than the
 * output gradient (the stride-1 case otherwise goes through forward with the rotated kernel, as in TypeScript).
 * gy must have SLACK floats of readable memory after it: the last block's ragged columns read past its end.
 */
export function inputGrad(w: usize, gy: usize, gx: usize, scratch: usize): void {
  const K = CIN * KH * KW, P = OH * OW, M = COUT, PB = inputGradBlock(K);
  const Ap = scratch, Cb = at(Ap, roundUp(K, 4) * M);
  const kPanels = pack4T(w, K, K, M, Ap);
  const plane = CIN * H * W;
  memory.fill(gx, 0, <usize>(N * plane) << 2);
  for (let n = 0; n < N; n++) {
    for (let p0 = 0; p0 < P; p0 += PB) {
      const np = min(PB, P - p0), npad = roundUp(np, 8);
      gemm(Ap, kPanels, at(gy, n * M * P + p0), P, npad >> 3, M, Cb, npad, false);
      col2im(Cb, npad, p0, np, at(gx, n * plane));
    }
  }
}

/**
 * gb[co] = Σ_n Σ_p gy[n, co, p], summed in double as the TypeScript definition does (two f64x2 sums, four
 * values a step), so the bias gradient need not leave the module's copy of gy for a slow scalar loop.
 */
export function biasGrad(gy: usize, gb: usize): void {
  const P = OH * OW, M = COUT;
  for (let co = 0; co < M; co++) {
    let lo = f64x2.splat(0), hi = f64x2.splat(0), tail: f64 = 0;
    for (let n = 0; n < N; n++) {
      let p = at(gy, (n * M + co) * P);
      let i = 0;
      for (; i + 4 <= P; i += 4, p += 16) {
        const v = v128.load(p);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
      for (; i < P; i++, p += 4) tail += <f64>load<f32>(p);
    }
    const sum = f64x2.add(lo, hi);
    store<f32>(at(gb, co), <f32>(f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1) + tail));
  }
}
