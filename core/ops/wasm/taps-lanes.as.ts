/**
 * conv2d's tap loops with the f32x4 lanes over output channels (Cout a multiple of 8, any stride): the forward and the
 * weight gradient, each position's input value splatted across the lanes. See taps.as.ts for the column tiles.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, SH, SW, W } from './geometry.as';
import { at, madd } from './inline.as';
import { padImage, SLACK, tapOffset } from './padded-planes.as';

/**
 * The forward with the f32x4 lanes over output channels instead of output columns, for Cout a multiple of 8 and
 * any stride: each tile sums 8 channels at 4 output positions, a position's input value splatted across the lanes.
 * No column is wasted on a narrow map (LeNet's 10-wide second conv fills 16-column tiles only to 62%); the four
 * positions are consecutive in y whatever rows they span, so a 4×4 transpose stores them whole.
 */
export function forwardTapsLanesScratch(): i32 {
  return CIN * (H + 2 * PH) * (W + 2 * PW) + SLACK + COUT * CIN * KH * KW + CIN * KH * KW;
}

export function forwardTapsLanes(x: usize, w: usize, bias: usize, y: usize, scratch: usize): void {
  const cin = CIN, kh = KH, kw = KW, khw = kh * kw, taps = cin * khw, cout = COUT, blocks = cout >> 3;
  const wp = W + 2 * PW, pf = (H + 2 * PH) * wp, P = OH * OW, ow = OW, sh = SH, sw = SW;
  const xp = scratch, wk = at(xp, cin * pf + SLACK), offs = at(wk, cout * taps);
  // wk[(cb·taps + t)·8 + j] = w[8cb + j] at tap t; offs[t] = the tap's byte offset in the first padded plane.
  for (let cb = 0; cb < blocks; cb++) {
    for (let t = 0; t < taps; t++) {
      for (let j = 0; j < 8; j++) store<f32>(at(wk, (cb * taps + t) * 8 + j), load<f32>(at(w, (cb * 8 + j) * taps + t)));
    }
  }
  for (let ci = 0, t = 0; ci < cin; ci++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, t++) store<i32>(offs + (<usize>t << 2), (ci * pf + ky * DH * wp + kx * DW) << 2);
    }
  }
  const offEnd = offs + (<usize>taps << 2);
  for (let b = 0; b < N; b++) {
    padImage(at(x, b * cin * H * W), xp, wp, pf);
    const yb = at(y, b * cout * P);
    for (let p0 = 0; p0 < P; p0 += 4) {
      // The four positions' cells in the padded plane (the last group repeats its last position).
      const q0 = p0, q1 = min(p0 + 1, P - 1), q2 = min(p0 + 2, P - 1), q3 = min(p0 + 3, P - 1);
      const x0 = cellOf(xp, q0, ow, sh, sw, wp), x1 = cellOf(xp, q1, ow, sh, sw, wp);
      const x2 = cellOf(xp, q2, ow, sh, sw, wp), x3 = cellOf(xp, q3, ow, sh, sw, wp);
      for (let cb = 0; cb < blocks; cb++) {
        const lo = bias == 0 ? f32x4.splat(0) : v128.load(at(bias, cb * 8)), hi = bias == 0 ? f32x4.splat(0) : v128.load(at(bias, cb * 8 + 4));
        let a0 = lo, a1 = lo, a2 = lo, a3 = lo, b0 = hi, b1 = hi, b2 = hi, b3 = hi;
        for (let pw = at(wk, cb * taps * 8), po = offs; po < offEnd; po += 4, pw += 32) {
          const off = <usize>load<i32>(po), u = v128.load(pw), v = v128.load(pw, 16);
          let s = v128.load32_splat(x0 + off);
          a0 = madd(s, u, a0); b0 = madd(s, v, b0);
          s = v128.load32_splat(x1 + off);
          a1 = madd(s, u, a1); b1 = madd(s, v, b1);
          s = v128.load32_splat(x2 + off);
          a2 = madd(s, u, a2); b2 = madd(s, v, b2);
          s = v128.load32_splat(x3 + off);
          a3 = madd(s, u, a3); b3 = madd(s, v, b3);
        }
        const d = at(yb, cb * 8 * P + p0), n = min(4, P - p0);
        storeTransposed(d, P, a0, a1, a2, a3, n);
        storeTransposed(at(d, 4 * P), P, b0, b1, b2, b3, n);
      }
    }
  }
}

/** The byte address of output position p's first tap cell in a padded plane of row width wp. */
@inline function cellOf(xp: usize, p: i32, ow: i32, sh: i32, sw: i32, wp: i32): usize {
  const oy = p / ow, ox = p - oy * ow;
  return xp + (<usize>(oy * sh * wp + ox * sw) << 2);
}

/**
 * Stores channel c's values at four positions, d + c·P floats on: lane c of a, b, e, f (the positions) for
 * c = 0..3; only the first n positions where a group is cut short.
 */
@inline function storeTransposed(d: usize, P: i32, a: v128, b: v128, e: v128, f: v128, n: i32): void {
  const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), t1 = v128.shuffle<f32>(e, f, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(a, b, 2, 6, 3, 7), t3 = v128.shuffle<f32>(e, f, 2, 6, 3, 7);
  const c0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), c1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  const c2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), c3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  const step = <usize>P << 2;
  if (n == 4) {
    v128.store(d, c0); v128.store(d + step, c1); v128.store(d + 2 * step, c2); v128.store(d + 3 * step, c3);
    return;
  }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(d + o, extractLane(c0, i));
    store<f32>(d + step + o, extractLane(c1, i));
    store<f32>(d + 2 * step + o, extractLane(c2, i));
    store<f32>(d + 3 * step + o, extractLane(c3, i));
  }
}

/** Lane i of v for a lane known only at run time. */
@inline function extractLane(v: v128, i: i32): f32 {
  return i == 0 ? f32x4.extract_lane(v, 0) : i == 1 ? f32x4.extract_lane(v, 1) : i == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

/**
 * The weight gradient with the f32x4 lanes over output channels (Cout a multiple of 8, any stride): each tile sums
 * 8 channels × 4 taps over every output position of an image, the position's input cell splatted across the
 * lanes, gy read transposed (gt[p·COUT + co], copied per image). Every position is a real one, where the column
 * loops pad LeNet's 10-wide rows to the plane's 14.
 */
export function weightGradTapsLanesScratch(): i32 {
  return CIN * (H + 2 * PH) * (W + 2 * PW) + SLACK + OH * OW * COUT + COUT * CIN * KH * KW;
}

export function weightGradTapsLanes(x: usize, gy: usize, gw: usize, scratch: usize): void {
  const cin = CIN, kw = KW, khw = KH * kw, taps = cin * khw, cout = COUT, blocks = cout >> 3;
  const wp = W + 2 * PW, pf = (H + 2 * PH) * wp, P = OH * OW, oh = OH, ow = OW, dh = DH, dw = DW;
  const xp = scratch, gt = at(xp, cin * pf + SLACK), acc = at(gt, P * cout);
  memory.fill(acc, 0, <usize>(taps * cout) << 2);
  const rowStep = <usize>(SH * wp) << 2, colStep = <usize>SW << 2, posStep = <usize>cout << 2, quads = khw >> 2;
  for (let b = 0; b < N; b++) {
    padImage(at(x, b * cin * H * W), xp, wp, pf);
    for (let co = 0; co < cout; co++) {
      let s = at(gy, (b * cout + co) * P), d = at(gt, co);
      for (let p = 0; p < P; p++, s += 4, d += posStep) store<f32>(d, load<f32>(s));
    }
    for (let ci = 0; ci < cin; ci++) {
      const plane = at(xp, ci * pf);
      for (let cb = 0; cb < blocks; cb++) {
        const g0 = at(gt, cb * 8);
        for (let q = 0; q < quads; q++) {
          const t0 = q << 2;
          const o0 = tapOffset(t0, kw, dh, dw, wp), o1 = tapOffset(t0 + 1, kw, dh, dw, wp);
          const o2 = tapOffset(t0 + 2, kw, dh, dw, wp), o3 = tapOffset(t0 + 3, kw, dh, dw, wp);
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
          let pg = g0, xr = plane;
          for (let oy = 0; oy < oh; oy++, xr += rowStep) {
            let px = xr;
            for (let ox = 0; ox < ow; ox++, px += colStep, pg += posStep) {
              const u = v128.load(pg), v = v128.load(pg, 16);
              let s = v128.load32_splat(px + o0);
              a0 = madd(s, u, a0); b0 = madd(s, v, b0);
              s = v128.load32_splat(px + o1);
              a1 = madd(s, u, a1); b1 = madd(s, v, b1);
              s = v128.load32_splat(px + o2);
              a2 = madd(s, u, a2); b2 = madd(s, v, b2);
              s = v128.load32_splat(px + o3);
              a3 = madd(s, u, a3); b3 = madd(s, v, b3);
            }
          }
          let r = at(acc, (ci * khw + t0) * cout + cb * 8);
          v128.store(r, f32x4.add(v128.load(r), a0)); v128.store(r, f32x4.add(v128.load(r, 16), b0), 16);
          r += posStep;
          v128.store(r, f32x4.add(v128.load(r), a1)); v128.store(r, f32x4.add(v128.load(r, 16), b1), 16);
          r += posStep;
          v128.store(r, f32x4.add(v128.load(r), a2)); v128.store(r, f32x4.add(v128.load(r, 16), b2), 16);
          r += posStep;
          v128.store(r, f32x4.add(v128.load(r), a3)); v128.store(r, f32x4.add(v128.load(r, 16), b3), 16);
        }
        for (let t = quads << 2; t < khw; t++) {
          const o = tapOffset(t, kw, dh, dw, wp);
          let a = f32x4.splat(0), c = f32x4.splat(0);
          let pg = g0, xr = plane + o;
          for (let oy = 0; oy < oh; oy++, xr += rowStep) {
            let px = xr;
            for (let ox = 0; ox < ow; ox++, px += colStep, pg += posStep) {
              const s = v128.load32_splat(px);
              a = madd(s, v128.load(pg), a); c = madd(s, v128.load(pg, 16), c);
            }
          }
          const r = at(acc, (ci * khw + t) * cout + cb * 8);
          v128.store(r, f32x4.add(v128.load(r), a)); v128.store(r, f32x4.add(v128.load(r, 16), c), 16);
        }
      }
    }
  }
  for (let co = 0; co < cout; co++) {
    for (let t = 0; t < taps; t++) store<f32>(at(gw, co * taps + t), load<f32>(at(acc, t * cout + co)));
  }
}
