/**
 * conv2d's direct path, for one channel and tiny shapes where packing panels would cost more than it saves:
 * row-wise loops over each kernel tap, summing in double precision in the order (ci, ky, kx).
 */
import type { ConvShape } from './conv2d-gemm';
import { scratch, SLOT } from './scratch';

/** Output columns [lo, hi) whose tap at horizontal offset `xoff` lands inside a row of width w. */
function columns(xoff: number, sw: number, w: number, ow: number): [number, number] {
  return [xoff >= 0 ? 0 : Math.ceil(-xoff / sw), Math.min(ow, Math.floor((w - 1 - xoff) / sw) + 1)];
}

/** Forward: each output plane starts at its bias and gains w·(shifted input row) per tap. */
export function forwardDirect(s: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  const P = oh * ow;
  const acc = scratch(SLOT.accum, P);
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      acc.fill(bias === null ? 0 : bias[co], 0, P);
      for (let ci = 0; ci < cin; ci++) {
        const xb = (b * cin + ci) * h * wd, wb = (co * cin + ci) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const wv = w[wb + ky * kw + kx], xoff = kx * dw - pw;
            const [lo, hi] = columns(xoff, sw, wd, ow);
            for (let oy = 0; oy < oh; oy++) {
              const iy = oy * sh - ph + ky * dh;
              if (iy < 0 || iy >= h) continue;
              const src = xb + iy * wd + xoff, dst = oy * ow;
              for (let ox = lo; ox < hi; ox++) acc[dst + ox] += wv * x[src + ox * sw];
            }
          }
        }
      }
      const yo = (b * cout + co) * P;
      for (let i = 0; i < P; i++) y[yo + i] = acc[i];
    }
  }
}

/** Input gradient: each tap scatters w·(output-gradient row) back onto the input row it read. */
export function inputGradDirect(s: ConvShape, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  const plane = h * wd;
  const acc = scratch(SLOT.accum, plane);
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < cin; ci++) {
      acc.fill(0, 0, plane);
      for (let co = 0; co < cout; co++) {
        const gb = (b * cout + co) * oh * ow, wb = (co * cin + ci) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const wv = w[wb + ky * kw + kx], xoff = kx * dw - pw;
            const [lo, hi] = columns(xoff, sw, wd, ow);
            for (let oy = 0; oy < oh; oy++) {
              const iy = oy * sh - ph + ky * dh;
              if (iy < 0 || iy >= h) continue;
              const dst = iy * wd + xoff, src = gb + oy * ow;
              for (let ox = lo; ox < hi; ox++) acc[dst + ox * sw] += wv * gy[src + ox];
            }
          }
        }
      }
      const xo = (b * cin + ci) * plane;
      for (let i = 0; i < plane; i++) gx[xo + i] = acc[i];
    }
  }
}

/** Weight gradient: each tap's gradient is the dot product of the output gradient with the input it read. */
export function weightGradDirect(s: ConvShape, x: Float32Array, gy: Float32Array, gw: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const xoff = kx * dw - pw;
          const [lo, hi] = columns(xoff, sw, wd, ow);
          let sum = 0;
          for (let b = 0; b < n; b++) {
            const xb = (b * cin + ci) * h * wd, gb = (b * cout + co) * oh * ow;
            for (let oy = 0; oy < oh; oy++) {
              const iy = oy * sh - ph + ky * dh;
              if (iy < 0 || iy >= h) continue;
              const src = xb + iy * wd + xoff, g = gb + oy * ow;
              for (let ox = lo; ox < hi; ox++) sum += gy[g + ox] * x[src + ox * sw];
            }
          }
          gw[((co * cin + ci) * kh + ky) * kw + kx] = sum;
        }
      }
    }
  }
}

/** Bias gradient: the output gradient summed over batch and positions, per channel. */
export function biasGrad(n: number, cout: number, P: number, gy: Float32Array, gb: Float32Array): void {
  for (let co = 0; co < cout; co++) {
    let sum = 0;
    for (let b = 0; b < n; b++) {
      const o = (b * cout + co) * P;
      for (let i = 0; i < P; i++) sum += gy[o + i];
    }
    gb[co] = sum;
  }
}
