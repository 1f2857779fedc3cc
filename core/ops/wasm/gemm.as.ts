/**
 * The packed matrix product in WebAssembly SIMD, the twin of ../gemm.ts: C (+)= A·B one 4×8 register tile at a
 * time, in float32 lanes (f32x4). A comes packed as panels of 4 rows (see pack4), B is row-major with its columns
 * read 8 at a time, so it needs no packing: an im2col block, a block of the output gradient or a transposed patch
 * matrix all serve as they are. Columns are independent, so whatever lies past the real columns of B only reaches
 * columns of C that callers drop.
 */
import { madd } from './inline.as';

/**
 * C[(ip·4 + i)·ldc + jb·8 + j] (+)= Σ_t Ap[(ip·T + t)·4 + i] · B[t·ldb + jb·8 + j] for every row panel ip < mPanels,
 * column block jb < nBlocks, i < 4, j < 8. Pointers are byte addresses; ldb and ldc count floats.
 */
export function gemm(ap: usize, mPanels: i32, b: usize, ldb: i32, nBlocks: i32, T: i32, c: usize, ldc: i32, accumulate: bool): void {
  gemmSlice(ap, <usize>T << 4, mPanels, b, ldb, nBlocks, T, c, ldc, accumulate ? ADD : STORE);
}

/** What gemmSlice does with C: stores the sums, adds them to C, or carries on summing from C's values. */
const STORE: i32 = 0, ADD: i32 = 1, CARRY: i32 = 2;

/** Depth of one slice of a deep product (gemmDeep): 4 × 128 floats of an A panel and 128 × 8 of B stay in L1. */
const DEPTH_SLICE: i32 = 128;

/**
 * gemm with the depth cut into slices of DEPTH_SLICE, so each slice of A (all its panels) stays in L2 while every
 * column block of B passes over it, instead of all of A streaming from memory once per column block. Each slice
 * carries the sums on from the last one's, in the same order as one pass over the whole depth: the results are
 * gemm's, bit for bit. Stores (never adds): C holds the product.
 */
export function gemmDeep(ap: usize, mPanels: i32, b: usize, ldb: i32, nBlocks: i32, T: i32, c: usize, ldc: i32): void {
  const astep = <usize>T << 4;
  for (let t0 = 0; t0 < T; t0 += DEPTH_SLICE) {
    gemmSlice(ap + (<usize>t0 << 4), astep, mPanels, b + (<usize>(t0 * ldb) << 2), ldb, nBlocks, min(DEPTH_SLICE, T - t0), c, ldc,
      t0 == 0 ? STORE : CARRY);
  }
}

/** The product over depth T of A's panels (`astep` bytes apart) and B, into C as `mode` says. */
function gemmSlice(ap: usize, astep: usize, mPanels: i32, b: usize, ldb: i32, nBlocks: i32, T: i32, c: usize, ldc: i32, mode: i32): void {
  const bstep = <usize>ldb << 2, cstep = <usize>ldc << 2;
  for (let jb = 0; jb < nBlocks; jb++) {
    const bj = b + (<usize>jb << 5), cj = c + (<usize>jb << 5);
    // Each 8-column strip of B stays in L1 while every A panel passes over it.
    for (let ip = 0; ip < mPanels; ip++) {
      let pa = ap + <usize>ip * astep, pb = bj;
      let pc = cj + <usize>(ip << 2) * cstep;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      if (mode == CARRY) {
        c00 = v128.load(pc); c01 = v128.load(pc, 16);
        c10 = v128.load(pc + cstep); c11 = v128.load(pc + cstep, 16);
        c20 = v128.load(pc + 2 * cstep); c21 = v128.load(pc + 2 * cstep, 16);
        c30 = v128.load(pc + 3 * cstep); c31 = v128.load(pc + 3 * cstep, 16);
      }
      for (let t = 0; t < T; t++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let a = v128.load32_splat(pa);
        c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
        a = v128.load32_splat(pa, 4);
        c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
        a = v128.load32_splat(pa, 8);
        c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
        a = v128.load32_splat(pa, 12);
        c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
        pa += 16;
        pb += bstep;
      }
      if (mode == ADD) {
        v128.store(pc, f32x4.add(v128.load(pc), c00)); v128.store(pc, f32x4.add(v128.load(pc, 16), c01), 16); pc += cstep;
        v128.store(pc, f32x4.add(v128.load(pc), c10)); v128.store(pc, f32x4.add(v128.load(pc, 16), c11), 16); pc += cstep;
        v128.store(pc, f32x4.add(v128.load(pc), c20)); v128.store(pc, f32x4.add(v128.load(pc, 16), c21), 16); pc += cstep;
        v128.store(pc, f32x4.add(v128.load(pc), c30)); v128.store(pc, f32x4.add(v128.load(pc, 16), c31), 16);
      } else {
        v128.store(pc, c00); v128.store(pc, c01, 16); pc += cstep;
        v128.store(pc, c10); v128.store(pc, c11, 16); pc += cstep;
        v128.store(pc, c20); v128.store(pc, c21, 16); pc += cstep;
        v128.store(pc, c30); v128.store(pc, c31, 16);
      }
    }
  }
}

/**
 * Packs rows 0..M−1 (columns 0..T−1, row stride ld floats) of the float32 matrix at `src` into 4-row panels:
 * out[(ip·T + t)·4 + i] = src[(ip·4 + i)·ld + t], zero for rows past M. Returns the panel count.
 */
export function pack4(src: usize, ld: i32, M: i32, T: i32, out: usize): i32 {
  const panels = (M + 3) >> 2;
  for (let ip = 0; ip < panels; ip++) {
    for (let i = 0; i < 4; i++) {
      const r = (ip << 2) + i;
      let o = out + ((<usize>(ip * T) << 2) + <usize>i) * 4;
      if (r < M) {
        let s = src + (<usize>(r * ld) << 2);
        for (let t = 0; t < T; t++, o += 16, s += 4) store<f32>(o, load<f32>(s));
      } else {
        for (let t = 0; t < T; t++, o += 16) store<f32>(o, 0);
      }
    }
  }
  return panels;
}

/**
 * Packs the transpose: rows 0..M−1 of A are columns of the K×… matrix at `src` (row stride ld), depth T its
 * rows: out[(ip·T + t)·4 + i] = src[t·ld + ip·4 + i]. The input gradient's Wᵀ comes from the OIHW weights so.
 */
export function pack4T(src: usize, ld: i32, M: i32, T: i32, out: usize): i32 {
  const panels = (M + 3) >> 2;
  for (let ip = 0; ip < panels; ip++) {
    for (let t = 0; t < T; t++) {
      const o = out + (<usize>((ip * T + t) << 2) << 2);
      for (let i = 0; i < 4; i++) {
        const r = (ip << 2) + i;
        store<f32>(o + (<usize>i << 2), r < M ? load<f32>(src + (<usize>(t * ld + r) << 2)) : 0);
      }
    }
  }
  return panels;
}
