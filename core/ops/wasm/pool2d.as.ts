/**
 * Max and average pooling in WebAssembly, the twins of ../pool2d.ts over float32 memory: each output cell is the
 * max (padding counts as −∞) or the mean of its window, floor mode; backward routes or spreads the gradient.
 */
import { at } from './inline.as';

/** LeNet's pooling: 2×2 windows, stride 2, no padding, which tile the map, so no window needs clipping. */
@inline function isPairs(kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32): bool {
  return kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0;
}

/** The general forward below for 2×2/2 windows, four output cells a step: rows combined, then even and odd lanes. */
function forwardPairs(x: usize, y: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, isMax: bool): void {
  const quarter = f32x4.splat(0.25);
  let o = y;
  for (let p = 0; p < planes; p++) {
    const base = at(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const r0 = at(base, 2 * oy * w), r1 = at(r0, w);
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4, o += 16) {
        const a0 = v128.load(at(r0, 2 * ox)), a1 = v128.load(at(r0, 2 * ox + 4));
        const b0 = v128.load(at(r1, 2 * ox)), b1 = v128.load(at(r1, 2 * ox + 4));
        if (isMax) {
          const m0 = f32x4.max(a0, b0), m1 = f32x4.max(a1, b1);
          v128.store(o, f32x4.max(v128.shuffle<f32>(m0, m1, 0, 2, 4, 6), v128.shuffle<f32>(m0, m1, 1, 3, 5, 7)));
        } else {
          // (x00 + x01) + (x10 + x11), the general loop's order, so both paths round alike.
          const e0 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), d0 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
          const e1 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), d1 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
          v128.store(o, f32x4.mul(f32x4.add(f32x4.add(f32x4.add(e0, d0), e1), d1), quarter));
        }
      }
      for (; ox < ow; ox++, o += 4) {
        const x00 = load<f32>(at(r0, 2 * ox)), x01 = load<f32>(at(r0, 2 * ox + 1));
        const x10 = load<f32>(at(r1, 2 * ox)), x11 = load<f32>(at(r1, 2 * ox + 1));
        store<f32>(o, isMax ? max(max(x00, x01), max(x10, x11)) : (((x00 + x01) + x10) + x11) * <f32>0.25);
      }
    }
  }
}

/** The general backward below for 2×2/2 windows (writing every cell the windows cover): max picks the first largest cell in reading order. */
function backwardPairs(x: usize, gy: usize, gx: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, isMax: bool): void {
  let o = gy;
  for (let p = 0; p < planes; p++) {
    const base = at(x, p * h * w), gbase = at(gx, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const i0 = 2 * oy * w;
      let ox = 0;
      // Four output cells a step, as forwardPairs reads them: each window's cells as four lanes' worth (even and odd
      // columns of its two rows), the gradient put where the max is (the first in reading order on ties: each
      // cell's mask excludes the cells before it), then interleaved back into the two rows.
      for (; ox + 4 <= ow; ox += 4, o += 16) {
        const i = i0 + 2 * ox;
        const a0 = v128.load(at(base, i)), a1 = v128.load(at(base, i + 4));
        const b0 = v128.load(at(base, i + w)), b1 = v128.load(at(base, i + w + 4));
        const x00 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), x01 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const x10 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), x11 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const d = v128.load(o);
        let g00: v128, g01: v128, g10: v128, g11: v128;
        if (isMax) {
          const m = f32x4.max(f32x4.max(x00, x01), f32x4.max(x10, x11));
          const k00 = f32x4.eq(x00, m);
          const k01 = v128.andnot(f32x4.eq(x01, m), k00);
          const before = v128.or(k00, k01);
          const k10 = v128.andnot(f32x4.eq(x10, m), before);
          const k11 = v128.not(v128.or(before, k10));
          g00 = v128.and(d, k00); g01 = v128.and(d, k01); g10 = v128.and(d, k10); g11 = v128.and(d, k11);
        } else {
          g00 = g01 = g10 = g11 = f32x4.mul(d, f32x4.splat(0.25));
        }
        const r0 = at(gbase, i), r1 = at(gbase, i + w);
        v128.store(r0, v128.shuffle<f32>(g00, g01, 0, 4, 1, 5));
        v128.store(r0 + 16, v128.shuffle<f32>(g00, g01, 2, 6, 3, 7));
        v128.store(r1, v128.shuffle<f32>(g10, g11, 0, 4, 1, 5));
        v128.store(r1 + 16, v128.shuffle<f32>(g10, g11, 2, 6, 3, 7));
      }
      for (; ox < ow; ox++, o += 4) {
        const d = load<f32>(o), i = i0 + 2 * ox;
        if (isMax) {
          const x00 = load<f32>(at(base, i)), x01 = load<f32>(at(base, i + 1));
          const x10 = load<f32>(at(base, i + w)), x11 = load<f32>(at(base, i + w + 1));
          let best = i, m = x00;
          if (x01 > m) { m = x01; best = i + 1; }
          if (x10 > m) { m = x10; best = i + w; }
          if (x11 > m) best = i + w + 1;
          // Every cell of the window written (zeros but one), so a map the windows tile needs no zeroing first.
          store<f32>(at(gbase, i), 0); store<f32>(at(gbase, i + 1), 0);
          store<f32>(at(gbase, i + w), 0); store<f32>(at(gbase, i + w + 1), 0);
          store<f32>(at(gbase, best), d);
        } else {
          const share = d * <f32>0.25;
          store<f32>(at(gbase, i), share); store<f32>(at(gbase, i + 1), share);
          store<f32>(at(gbase, i + w), share); store<f32>(at(gbase, i + w + 1), share);
        }
      }
    }
  }
}

/** y[plane, oy, ox] for `planes` maps of h×w; mode 1 max, 0 average (divisor kh·kw, or the real cells when !includePad). */
export function poolForward(x: usize, y: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, isMax: bool, includePad: bool): void {
  if (isPairs(kh, kw, sh, sw, ph, pw)) {
    forwardPairs(x, y, planes, h, w, oh, ow, isMax);
    return;
  }
  let o = y;
  for (let p = 0; p < planes; p++) {
    const base = at(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const a = oy * sh - ph, y0 = max(a, 0), y1 = min(a + kh, h);
      for (let ox = 0; ox < ow; ox++, o += 4) {
        const b = ox * sw - pw, x0 = max(b, 0), x1 = min(b + kw, w);
        if (isMax) {
          let m = -Infinity as f32;
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) m = max(m, load<f32>(at(base, iy * w + ix)));
          store<f32>(o, m);
        } else {
          let s: f32 = 0;
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += load<f32>(at(base, iy * w + ix));
          store<f32>(o, s / <f32>(includePad ? kh * kw : (y1 - y0) * (x1 - x0)));
        }
      }
    }
  }
}

/** gx from gy: max sends each gradient to its window's first largest cell, average spreads it over the window. */
export function poolBackward(x: usize, gy: usize, gx: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, isMax: bool, includePad: bool): void {
  if (isPairs(kh, kw, sh, sw, ph, pw)) {
    // Windows that tile the map write every cell; an odd map's last row or column is left out by them.
    if (2 * oh != h || 2 * ow != w) memory.fill(gx, 0, <usize>(planes * h * w) << 2);
    backwardPairs(x, gy, gx, planes, h, w, oh, ow, isMax);
    return;
  }
  memory.fill(gx, 0, <usize>(planes * h * w) << 2);
  let o = gy;
  for (let p = 0; p < planes; p++) {
    const base = at(x, p * h * w), gbase = at(gx, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const a = oy * sh - ph, y0 = max(a, 0), y1 = min(a + kh, h);
      for (let ox = 0; ox < ow; ox++, o += 4) {
        const b = ox * sw - pw, x0 = max(b, 0), x1 = min(b + kw, w);
        const d = load<f32>(o);
        if (isMax) {
          let best = -1, m = -Infinity as f32;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const v = load<f32>(at(base, iy * w + ix));
              if (v > m || best < 0) { m = v; best = iy * w + ix; }
            }
          }
          const g = at(gbase, best);
          store<f32>(g, load<f32>(g) + d);
        } else {
          const share = d / <f32>(includePad ? kh * kw : (y1 - y0) * (x1 - x0));
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const g = at(gbase, iy * w + ix);
              store<f32>(g, load<f32>(g) + share);
            }
          }
        }
      }
    }
  }
}
