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
  const bstep = <usize>ldb << 2, cstep = <usize>ldc << 2, astep = <usize>T << 4;
  for (let jb = 0; jb < nBlocks; jb++) {
    const bj = b + (<usize>jb << 5), cj = c + (<usize>jb << 5);
    // Each 8-column strip of B stays in L1 while every A panel passes over it.
    for (let ip = 0; ip < mPanels; ip++) {
      let pa = ap + <usize>ip * astep, pb = bj;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
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
      let pc = cj + <usize>(ip << 2) * cstep;
      if (accumulate) {
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
