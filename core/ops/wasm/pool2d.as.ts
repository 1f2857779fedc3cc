/**
 * Max and average pooling in WebAssembly, the twins of ../pool2d.ts over float32 memory: each output cell is the
 * max (padding counts as −∞) or the mean of its window, floor mode; backward routes or spreads the gradient.
 */

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** y[plane, oy, ox] for `planes` maps of h×w; mode 1 max, 0 average (divisor kh·kw, or the real cells when !includePad). */
export function poolForward(x: usize, y: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, isMax: bool, includePad: bool): void {
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
