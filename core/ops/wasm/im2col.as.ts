/**
 * im2col and col2im in WebAssembly, the twins of ../im2col.ts over float32 memory: tap k = (ci, ky, kx) of output
 * position p0 + t goes to out[(k>>2)·SK + (k&3)·UK + t·es] (floats), zero where the tap falls in padding.
 * Plain rows (SK = 4·ldb, UK = ldb, es = 1) and the transposed matrix (SK = 4, UK = 1, es = ldb) come from one walk.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, SH, SW, W } from './geometry.as';
import { copyFloats } from './moves.as';

/** Output columns [lo, hi) whose tap at offset xoff lands inside a row of width w: 0 ≤ ox·sw + xoff < w. */
@inline function columnsLo(xoff: i32, sw: i32): i32 {
  return xoff >= 0 ? 0 : (sw - 1 - xoff) / sw;
}
@inline function columnsHi(xoff: i32, sw: i32, w: i32, ow: i32): i32 {
  const last = w - 1 - xoff;
  return last < 0 ? 0 : min(ow, last / sw + 1);
}

export function im2col(x: usize, p0: i32, np: i32, out: usize, SK: i32, UK: i32, es: i32): void {
  if (SK == 4 && UK == 1 && DW == 1) {
    im2colRows(x, p0, np, out, es);
    return;
  }
  const cin = CIN, h = H, w = W, kh = KH, kw = KW, sh = SH, sw = SW, ph = PH, pw = PW, dh = DH, dw = DW, ow = OW;
  const estep = <usize>es << 2;
  let k = 0;
  for (let ci = 0; ci < cin; ci++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, k++) {
        const xoff = kx * dw - pw;
        const oxLo = columnsLo(xoff, sw), oxHi = columnsHi(xoff, sw, w, ow);
        const row = (k >> 2) * SK + (k & 3) * UK;
        let t = 0, oy = p0 / ow, ox0 = p0 - oy * ow;
        while (t < np) {
          const len = min(ow - ox0, np - t);
          const iy = oy * sh - ph + ky * dh;
          // The cell for output column ox of this row segment is out[o + ox·es].
          const o = out + (<usize>(row + (t - ox0) * es) << 2);
          let lo = ox0, hi = ox0;
          if (iy >= 0 && iy < h) {
            lo = min(max(ox0, oxLo), ox0 + len);
            hi = max(min(ox0 + len, oxHi), lo);
            const src = x + (<usize>((ci * h + iy) * w + xoff) << 2);
            if (sw == 1 && es == 1) copyFloats(o + (<usize>lo << 2), src + (<usize>lo << 2), hi - lo);
            else {
              const sstep = <usize>sw << 2;
              let d = o + <usize>lo * estep, s = src + <usize>(lo * sw) * 4;
              for (let ox = lo; ox < hi; ox++, d += estep, s += sstep) store<f32>(d, load<f32>(s));
            }
          }
          for (let ox = ox0; ox < lo; ox++) store<f32>(o + <usize>ox * estep, 0);
          for (let ox = hi; ox < ox0 + len; ox++) store<f32>(o + <usize>ox * estep, 0);
          t += len;
          ox0 = 0;
          oy++;
        }
      }
    }
  }
}

/**
 * The transposed matrix (row t holds position p0 + t's taps, out[t·ld + k]) built a row at a time: each tap row
 * (ci, ky) of a patch is a run of KW neighbouring input cells, read and written in order, where the tap-major walk
 * above would scatter every value ld floats from the last (the weight gradient's im2col, dilation 1 across).
 */
function im2colRows(x: usize, p0: i32, np: i32, out: usize, ld: i32): void {
  const cin = CIN, h = H, w = W, kh = KH, kw = KW, sh = SH, sw = SW, ph = PH, pw = PW, dh = DH, ow = OW;
  let oy = p0 / ow, ox = p0 - oy * ow;
  for (let t = 0; t < np; t++) {
    const ix0 = ox * sw - pw, inside = ix0 >= 0 && ix0 + kw <= w;
    let d = out + (<usize>(t * ld) << 2);
    for (let ci = 0; ci < cin; ci++) {
      for (let ky = 0; ky < kh; ky++, d += <usize>kw << 2) {
        const iy = oy * sh - ph + ky * dh;
        if (iy < 0 || iy >= h) {
          for (let kx = 0; kx < kw; kx++) store<f32>(d + (<usize>kx << 2), 0);
          continue;
        }
        const src = x + (<usize>((ci * h + iy) * w) << 2);
        if (inside) {
          copyFloats(d, src + (<usize>ix0 << 2), kw);
        } else {
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx;
            store<f32>(d + (<usize>kx << 2), ix >= 0 && ix < w ? load<f32>(src + (<usize>ix << 2)) : 0);
          }
        }
      }
    }
    if (++ox == ow) {
      ox = 0;
      oy++;
    }
  }
}

/**
 * Adds column block C (row k at C + k·ldc floats, columns t = 0..np−1 for positions p0 + t) onto the input
 * gradient at gx: gx[ci, iy, ix] += C[k, t] for every tap that read that cell. The inverse of im2col's gather.
 */
export function col2im(c: usize, ldc: i32, p0: i32, np: i32, gx: usize): void {
  const cin = CIN, h = H, w = W, kh = KH, kw = KW, sh = SH, sw = SW, ph = PH, pw = PW, dh = DH, dw = DW, ow = OW;
  const dstep = <usize>sw << 2;
  let k = 0;
  for (let ci = 0; ci < cin; ci++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, k++) {
        const xoff = kx * dw - pw;
        const oxLo = columnsLo(xoff, sw), oxHi = columnsHi(xoff, sw, w, ow);
        let t = 0, oy = p0 / ow, ox0 = p0 - oy * ow;
        const row = k * ldc;
        while (t < np) {
          const len = min(ow - ox0, np - t);
          const iy = oy * sh - ph + ky * dh;
          if (iy >= 0 && iy < h) {
            const lo = max(ox0, oxLo), hi = min(ox0 + len, oxHi);
            let d = gx + (<usize>((ci * h + iy) * w + xoff + lo * sw) << 2);
            let s = c + (<usize>(row + t + lo - ox0) << 2);
            let ox = lo;
            if (sw == 1) {
              // Neighbouring output columns land on neighbouring input cells: four at a time.
              for (; ox + 4 <= hi; ox += 4, d += 16, s += 16) v128.store(d, f32x4.add(v128.load(d), v128.load(s)));
            }
            for (; ox < hi; ox++, d += dstep, s += 4) store<f32>(d, load<f32>(d) + load<f32>(s));
          }
          t += len;
          ox0 = 0;
          oy++;
        }
      }
    }
  }
}
