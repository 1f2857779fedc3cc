/** The definition of conv2d written as plainly as possible, in double precision: the yardstick for fast paths. */
import type { Tensor } from '../tensor';

export interface NaiveConv { stride: [number, number]; padding: [number, number]; dilation: [number, number]; flip?: boolean }

/** Forward, input gradient, weight gradient and bias gradient of conv2d by the definition. */
export function naiveConv(x: Tensor, w: Tensor, b: Float32Array | null, gy: Tensor | null, o: NaiveConv) {
  const [n, cin, h, wd] = x.shape, [cout, , kh, kw] = w.shape;
  const [sh, sw] = o.stride, [ph, pw] = o.padding, [dh, dw] = o.dilation;
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((wd + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  const wi = (co: number, ci: number, ky: number, kx: number) =>
    ((co * cin + ci) * kh + (o.flip ? kh - 1 - ky : ky)) * kw + (o.flip ? kw - 1 - kx : kx);
  const y = new Float64Array(n * cout * oh * ow);
  const gx = new Float64Array(x.data.length), gw = new Float64Array(w.data.length), gb = new Float64Array(cout);
  for (let bi = 0; bi < n; bi++) for (let co = 0; co < cout; co++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    const yi = ((bi * cout + co) * oh + oy) * ow + ox;
    const g = gy ? gy.data[yi] : 0;
    let s = b ? b[co] : 0;
    gb[co] += g;
    for (let ci = 0; ci < cin; ci++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * sh - ph + ky * dh, ix = ox * sw - pw + kx * dw;
      if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
      const xi = ((bi * cin + ci) * h + iy) * wd + ix, k = wi(co, ci, ky, kx);
      s += x.data[xi] * w.data[k];
      gx[xi] += g * w.data[k];
      gw[k] += g * x.data[xi];
    }
    y[yi] = s;
  }
  return { output: { shape: [n, cout, oh, ow], data: y }, gradInput: gx, gradWeight: gw, gradBias: gb };
}
