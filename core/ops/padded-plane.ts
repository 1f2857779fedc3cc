/**
 * The zero-padded Float64 copy of an input plane that conv2d's TypeScript passes read (direct loops, panels,
 * Winograd): inner loops then need no bounds logic and read doubles.
 */

/**
 * Copies plane `xo` (h×w) of `x` into out (from `oo`) as `rows` rows of `width` values, by default the padded size
 * (h+2ph)×(w+2pw): the input at row ph and column pw, zeros elsewhere (and in any rows or columns past it). Negative
 * padding crops instead (the stride-1 input gradient pads by d(k−1)−p, which can be below zero).
 */
export function padPlane(x: Float32Array, xo: number, h: number, w: number, ph: number, pw: number, out: Float64Array, oo = 0,
  rows = h + 2 * ph, width = w + 2 * pw): void {
  const lo = Math.max(0, pw), hi = Math.min(width, w + pw);
  for (let r = 0; r < rows; r++) {
    const sr = r - ph, o = oo + r * width;
    if (sr < 0 || sr >= h || hi <= lo) {
      out.fill(0, o, o + width);
      continue;
    }
    if (lo > 0) out.fill(0, o, o + lo);
    const src = xo + sr * w - pw;
    for (let c = lo; c < hi; c++) out[o + c] = x[src + c];
    if (hi < width) out.fill(0, o + hi, o + width);
  }
}
