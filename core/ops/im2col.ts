/**
 * im2col and col2im for conv2d: the input patches each output reads, laid out as a matrix (one row per kernel tap
 * k = (ci, ky, kx), one column per output position p), written straight into GEMM panel layout.
 */
import type { PatchGeometry } from './conv2d-geometry';

/**
 * Writes patch value (k, t) — tap k of output position p0 + t, zero where it falls in padding — to
 * out[(k>>2)·SK + (k&3)·UK + t·es]. Plain rows (forward: SK = 4·ldb, UK = ldb, es = 1) and 4-tap panels
 * (weight gradient: SK = 4·np, UK = 1, es = 4) come from the same walk. Each output row becomes zeros, a strided
 * copy, zeros, with no test per value.
 */
export function im2col(x: Float32Array, xo: number, g: PatchGeometry, p0: number, np: number,
  out: Float64Array, SK: number, UK: number, es: number): void {
  const { h, w, sh, sw, ph, dh, ow } = g;
  forEachTap(g, (k, ci, ky, xoff, oxLo, oxHi) => {
    const row = (k >> 2) * SK + (k & 3) * UK;
    let t = 0, oy = Math.floor(p0 / ow), ox0 = p0 - oy * ow;
    while (t < np) {
      const len = Math.min(ow - ox0, np - t);
      const iy = oy * sh - ph + ky * dh;
      // The cell for output column ox of this row segment is out[o + ox·es].
      const o = row + (t - ox0) * es;
      let lo = ox0, hi = ox0;
      if (iy >= 0 && iy < h) {
        lo = Math.min(Math.max(ox0, oxLo), ox0 + len);
        hi = Math.max(Math.min(ox0 + len, oxHi), lo);
        const src = xo + (ci * h + iy) * w + xoff;
        if (sw === 1) for (let ox = lo; ox < hi; ox++) out[o + ox * es] = x[src + ox];
        else for (let ox = lo; ox < hi; ox++) out[o + ox * es] = x[src + ox * sw];
      }
      for (let ox = ox0; ox < lo; ox++) out[o + ox * es] = 0;
      for (let ox = hi; ox < ox0 + len; ox++) out[o + ox * es] = 0;
      t += len;
      ox0 = 0;
      oy++;
    }
  });
}

/**
 * Adds column block C (row k at C[k·ldc], columns t = 0..np−1 for positions p0 + t) back onto the input gradient:
 * gx[ci, iy, ix] += C[k, t] for every tap that read that cell. The inverse of im2col's gather.
 */
export function col2im(C: Float64Array, ldc: number, g: PatchGeometry, p0: number, np: number, gx: Float64Array, xo: number): void {
  const { h, w, sh, sw, ph, dh, ow } = g;
  forEachTap(g, (k, ci, ky, xoff, oxLo, oxHi) => {
    let t = 0, oy = Math.floor(p0 / ow), ox0 = p0 - oy * ow;
    const row = k * ldc;
    while (t < np) {
      const len = Math.min(ow - ox0, np - t);
      const iy = oy * sh - ph + ky * dh;
      if (iy >= 0 && iy < h) {
        const dst = xo + (ci * h + iy) * w + xoff;
        const lo = Math.max(ox0, oxLo), hi = Math.min(ox0 + len, oxHi);
        for (let ox = lo; ox < hi; ox++) gx[dst + ox * sw] += C[row + t + ox - ox0];
      }
      t += len;
      ox0 = 0;
      oy++;
    }
  });
}

/**
 * Calls visit once per kernel tap k = (ci, ky, kx), in k order, with the tap's column offset xoff = kx·dw − pw and
 * the output columns [oxLo, oxHi) whose read lands inside the image (0 ≤ ox·sw + xoff < w): the walk im2col and
 * col2im share, so gather and scatter cannot disagree on which cells a tap reaches.
 */
function forEachTap(g: PatchGeometry,
  visit: (k: number, ci: number, ky: number, xoff: number, oxLo: number, oxHi: number) => void): void {
  const { cin, w, kh, kw, sw, pw, dw, ow } = g;
  let k = 0;
  for (let ci = 0; ci < cin; ci++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, k++) {
        const xoff = kx * dw - pw;
        visit(k, ci, ky, xoff, xoff >= 0 ? 0 : Math.ceil(-xoff / sw), Math.min(ow, Math.floor((w - 1 - xoff) / sw) + 1));
      }
    }
  }
}
