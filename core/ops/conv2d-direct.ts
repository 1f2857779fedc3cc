/**
 * conv2d's direct path, for one channel and tiny shapes where packing GEMM panels would cost more than it saves.
 * Each input plane is first copied into a zero-padded Float64 plane (padded-plane.ts), so the inner loops need no bounds logic and
 * read doubles; each kernel tap then adds w·(shifted row) to the output rows, two taps per pass.
 */
import type { Conv2dGeometry } from './conv2d-geometry';
import { padPlane } from './padded-plane';
import { scratch, SLOT } from './scratch';

/**
 * Accumulates the correlation of one padded plane with one kernel plane into acc[ao + oy·ow + ox]:
 * acc += Σ_{ky,kx} k[ky,kx] · xp[(oy·sh + ky·dh)·wp + ox·sw + kx·dw].
 */
function correlatePlane(xp: Float64Array, wp: number, k: Float32Array, ko: number, s: Conv2dGeometry, acc: Float64Array, ao: number): void {
  const { kh, kw, oh, ow, sh, sw, dh, dw } = s;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx += 2) {
      const w0 = k[ko + ky * kw + kx];
      const pair = kx + 1 < kw;
      const w1 = pair ? k[ko + ky * kw + kx + 1] : 0;
      for (let oy = 0; oy < oh; oy++) {
        const r = (oy * sh + ky * dh) * wp + kx * dw, a = ao + oy * ow;
        if (sw === 1 && pair) {
          for (let ox = 0; ox < ow; ox++) acc[a + ox] += w0 * xp[r + ox] + w1 * xp[r + ox + dw];
        } else if (pair) {
          for (let ox = 0; ox < ow; ox++) acc[a + ox] += w0 * xp[r + ox * sw] + w1 * xp[r + ox * sw + dw];
        } else {
          for (let ox = 0; ox < ow; ox++) acc[a + ox] += w0 * xp[r + ox * sw];
        }
      }
    }
  }
}

/**
 * Forward for tiny calls, straight from the float32 data: the padded-plane setup would cost more than these few
 * multiply-adds (S1, the book's 6×8 example, is 84 of them).
 */
export function forwardTiny(s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  const P = oh * ow;
  // Each output sums in double, bias first, then taps in (ci, ky, kx) order, as the definition does; walking
  // tap by tap over only the outputs whose tap lands inside the image leaves no bounds test in the inner loop.
  const acc = scratch(SLOT.accum, P);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      acc.fill(bias === null ? 0 : bias[co], 0, P);
      for (let ci = 0; ci < cin; ci++) {
        const xb = (b * cin + ci) * h * wd, wb = (co * cin + ci) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          const iy0 = ky * dh - ph;
          const oyLo = iy0 >= 0 ? 0 : Math.ceil(-iy0 / sh), oyHi = Math.min(oh, Math.floor((h - 1 - iy0) / sh) + 1);
          for (let kx = 0; kx < kw; kx++) {
            const wv = w[wb + ky * kw + kx], ix0 = kx * dw - pw;
            const oxLo = ix0 >= 0 ? 0 : Math.ceil(-ix0 / sw), oxHi = Math.min(ow, Math.floor((wd - 1 - ix0) / sw) + 1);
            for (let oy = oyLo; oy < oyHi; oy++) {
              const xr = xb + (oy * sh + iy0) * wd + ix0, a = oy * ow;
              for (let ox = oxLo; ox < oxHi; ox++) acc[a + ox] += wv * x[xr + ox * sw];
            }
          }
        }
      }
      for (let i = 0; i < P; i++) y[o++] = acc[i];
    }
  }
}

/** Input gradient for tiny calls: each output cell scatters its gradient to the cells it read. */
export function inputGradTiny(s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  const acc = scratch(SLOT.accum, gx.length);
  acc.fill(0, 0, gx.length);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const d = gy[o++];
          for (let ci = 0; ci < cin; ci++) {
            const xb = (b * cin + ci) * h * wd, wb = (co * cin + ci) * kh * kw;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - ph + ky * dh;
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pw + kx * dw;
                if (ix >= 0 && ix < wd) acc[xb + iy * wd + ix] += d * w[wb + ky * kw + kx];
              }
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < gx.length; i++) gx[i] = acc[i];
}

/** Weight gradient for tiny calls: each tap sums gradient × input over every output cell. */
export function weightGradTiny(s: Conv2dGeometry, x: Float32Array, gy: Float32Array, gw: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          let sum = 0;
          for (let b = 0; b < n; b++) {
            const xb = (b * cin + ci) * h * wd, gb = (b * cout + co) * oh * ow;
            for (let oy = 0; oy < oh; oy++) {
              const iy = oy * sh - ph + ky * dh;
              if (iy < 0 || iy >= h) continue;
              for (let ox = 0; ox < ow; ox++) {
                const ix = ox * sw - pw + kx * dw;
                if (ix >= 0 && ix < wd) sum += gy[gb + oy * ow + ox] * x[xb + iy * wd + ix];
              }
            }
          }
          gw[((co * cin + ci) * kh + ky) * kw + kx] = sum;
        }
      }
    }
  }
}

/** Forward: every output plane starts at its bias and gathers each input plane's correlation with its kernel. */
export function forwardDirect(s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, ph, pw } = s;
  const P = oh * ow, wp = wd + 2 * pw;
  const xp = scratch(SLOT.packB, (h + 2 * ph) * wp);
  const acc = scratch(SLOT.accum, cout * P);
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) acc.fill(bias === null ? 0 : bias[co], co * P, (co + 1) * P);
    for (let ci = 0; ci < cin; ci++) {
      padPlane(x, (b * cin + ci) * h * wd, h, wd, ph, pw, xp);
      for (let co = 0; co < cout; co++) correlatePlane(xp, wp, w, (co * cin + ci) * kh * kw, s, acc, co * P);
    }
    const yo = b * cout * P;
    for (let i = 0; i < cout * P; i++) y[yo + i] = acc[i];
  }
}

/**
 * Input gradient. Stride 1: a correlation of the output gradient, padded by d(k−1)−p, with the kernel rotated
 * 180° and its channel axes swapped, so it is forwardDirect again. Other strides scatter each tap back.
 */
export function inputGradDirect(s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  const khw = kh * kw;
  if (sh === 1 && sw === 1) {
    const wt = new Float32Array(cin * cout * khw);
    for (let co = 0; co < cout; co++) {
      for (let ci = 0; ci < cin; ci++) {
        const src = (co * cin + ci) * khw, dst = (ci * cout + co) * khw;
        for (let i = 0; i < khw; i++) wt[dst + i] = w[src + khw - 1 - i];
      }
    }
    forwardDirect({
      n, cin: cout, h: oh, w: ow, cout: cin, oh: h, ow: wd, kh, kw, sh: 1, sw: 1,
      ph: dh * (kh - 1) - ph, pw: dw * (kw - 1) - pw, dh, dw,
    }, gy, wt, null, gx);
    return;
  }
  const plane = h * wd;
  const acc = scratch(SLOT.accum, plane);
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < cin; ci++) {
      acc.fill(0, 0, plane);
      for (let co = 0; co < cout; co++) {
        const gb = (b * cout + co) * oh * ow, wb = (co * cin + ci) * khw;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const wv = w[wb + ky * kw + kx], xoff = kx * dw - pw;
            const lo = xoff >= 0 ? 0 : Math.ceil(-xoff / sw), hi = Math.min(ow, Math.floor((wd - 1 - xoff) / sw) + 1);
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

/** Weight gradient: each tap's gradient is the dot product of the output gradient with the padded input it read. */
export function weightGradDirect(s: Conv2dGeometry, x: Float32Array, gy: Float32Array, gw: Float32Array): void {
  const { n, cin, h, w: wd, cout, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw } = s;
  const wp = wd + 2 * pw, khw = kh * kw;
  const xp = scratch(SLOT.packB, (h + 2 * ph) * wp);
  const acc = scratch(SLOT.accum, cout * cin * khw);
  acc.fill(0, 0, cout * cin * khw);
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < cin; ci++) {
      padPlane(x, (b * cin + ci) * h * wd, h, wd, ph, pw, xp);
      for (let co = 0; co < cout; co++) {
        const g = (b * cout + co) * oh * ow;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            let s0 = 0, s1 = 0;
            for (let oy = 0; oy < oh; oy++) {
              const r = (oy * sh + ky * dh) * wp + kx * dw, go = g + oy * ow;
              let ox = 0;
              // Two running sums halve the add latency chain; fine since both are doubles.
              for (; ox + 1 < ow; ox += 2) {
                s0 += gy[go + ox] * xp[r + ox * sw];
                s1 += gy[go + ox + 1] * xp[r + (ox + 1) * sw];
              }
              if (ox < ow) s0 += gy[go + ox] * xp[r + ox * sw];
            }
            acc[(co * cin + ci) * khw + ky * kw + kx] += s0 + s1;
          }
        }
      }
    }
  }
  for (let i = 0; i < cout * cin * khw; i++) gw[i] = acc[i];
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
