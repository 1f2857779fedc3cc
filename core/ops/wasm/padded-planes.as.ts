/**
 * The zero-padded input planes the tap loops (taps*.as.ts) and the direct loops (direct.as.ts) read: each input plane
 * of an image copied once into rows wide enough that a tap's run of output columns reads inside them, and a tap's
 * byte offset in such a plane.
 */
import { CIN, H, PH, PW, W } from './geometry.as';
import { at } from './inline.as';
import { copyFloats, zeroFloats } from './moves.as';

/** Floats the last padded plane may be read past its end by a tap of the last row. */
export const SLACK: i32 = 16;

/** Copies plane x (H×W) into out as (H+2PH) rows of wp floats, the input at column PW, zeros elsewhere; negative padding crops. */
export function padPlane(x: usize, out: usize, wp: i32): void {
  const h = H, w = W, ph = PH, pw = PW, hp = h + 2 * ph;
  const lo = max(0, pw), hi = min(wp, w + pw);
  for (let r = 0; r < hp; r++) {
    const sr = r - ph, o = at(out, r * wp);
    if (sr < 0 || sr >= h || hi <= lo) {
      zeroFloats(o, wp);
      continue;
    }
    if (lo > 0) zeroFloats(o, lo);
    copyFloats(at(o, lo), at(x, sr * w - pw + lo), hi - lo);
    if (hi < wp) zeroFloats(at(o, hi), wp - hi);
  }
}

/** Pads every input plane of image x into out, one after another, pf floats apart, in rows of wp floats. */
export function padImage(x: usize, out: usize, wp: i32, pf: i32): void {
  for (let ci = 0; ci < CIN; ci++) padPlane(at(x, ci * H * W), at(out, ci * pf), wp);
  zeroFloats(at(out, CIN * pf), SLACK);
}

/** Byte offset of tap t = ky·KW + kx in a padded plane of row width wp. */
@inline export function tapOffset(t: i32, kw: i32, dh: i32, dw: i32, wp: i32): usize {
  const ky = t / kw, kx = t - ky * kw;
  return <usize>(ky * dh * wp + kx * dw) << 2;
}
