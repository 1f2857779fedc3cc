/**
 * conv2d's tap loops in WebAssembly SIMD for stride 1 across (any stride down, any dilation): no im2col. Each input
 * plane of an image is copied once into a zero-padded plane wide enough that every tap's row of output columns
 * reads inside it (padded-planes.as.ts); a tap (ci, ky, kx) of output row oy then reads a plain run of that plane, four
 * output columns per f32x4. Register tiles (eight f32x4 accumulators, within the sixteen SIMD registers of x86-64)
 * give each loaded vector several uses:
 *  - forward: 2 output channels × 16 output columns summed over every (ci, ky, kx) (1 channel × 32 columns);
 *  - weight gradient: 2 output channels × 4 taps summed over every output position of the image;
 *  - input gradient (stride 1 both ways, taps-input-grad.as.ts): 2 input channels × 16 positions summed over every
 *    output channel, then added at each tap's offset.
 * The same loops with the lanes over output channels instead of columns are in taps-lanes.as.ts.
 * im2col copies each input value KH·KW times for a product that reuses it only Cout times: with LeNet's 1→6 conv
 * the copying cost more than the product, and the taps ran its three passes 2–3× faster.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, SH, W } from './geometry.as';
import { at, madd, roundUp } from './inline.as';
import { copyFloats, zeroFloats } from './moves.as';
import { padImage, SLACK, tapOffset } from './padded-planes.as';

/**
 * Output columns per forward tile: four f32x4 for each of two channels, or eight for a single channel (the input
 * gradient of a one-channel input); per weight-gradient step, one f32x4.
 */
@inline function fwdCols(): i32 {
  return COUT == 1 ? 32 : 16;
}
const WG_COLS: i32 = 4;

/** Width of a padded plane: the input with its padding, or more, so a tile of `cols` columns never reads past a row. */
@inline function planeWidth(cols: i32): i32 {
  return max(W + 2 * PW, roundUp(OW, cols) + (KW - 1) * DW);
}

@inline function planeFloats(cols: i32): i32 {
  return (H + 2 * PH) * planeWidth(cols);
}

export function tapsScratch(): i32 {
  // Padded planes, packed weights, tap offsets, a ragged tile.
  const fwd = CIN * planeFloats(fwdCols()) + SLACK + roundUp(COUT, 2) * CIN * KH * KW + CIN * KH * KW + 32;
  return max(fwd, weightGradScratchFloats());
}

/**
 * y[b, co] = bias[co] + Σ_ci Σ_taps w[co, ci, tap]·xpad[ci] at the tap's offset; `bias` 0 means none. Needs SW = 1.
 * The weights are packed in channel pairs, wk[(cp·CIN·KHW + t)·2 + j] = w[2cp + j] at tap t, so a tile reads its
 * two weights side by side, taps t in (ky, ci, kx) order. Accumulators start at the bias; a tile inside the row is stored straight
 * into y, the last one of a ragged row through a small buffer.
 */
export function forwardTaps(x: usize, w: usize, bias: usize, y: usize, scratch: usize): void {
  const cin = CIN, khw = KH * KW, kw = KW, kh = KH, dh = DH, dw = DW, cols = fwdCols();
  const wp = planeWidth(cols), pf = planeFloats(cols), pairs = (COUT + 1) >> 1;
  const xp = scratch, wk = at(xp, cin * pf + SLACK), offs = at(wk, pairs * cin * khw * 2);
  const taps = cin * khw, tail = at(offs, taps);
  // Taps in (ky, ci, kx) order, so those of the kernel rows an output row reads inside the input are one run.
  for (let ky = 0, t = 0; ky < kh; ky++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let kx = 0; kx < kw; kx++, t++) {
        const src = (ci * kh + ky) * kw + kx;
        for (let cp = 0; cp < pairs; cp++) {
          for (let j = 0; j < 2; j++) {
            const co = 2 * cp + j;
            store<f32>(at(wk, (cp * taps + t) * 2 + j), co < COUT ? load<f32>(at(w, co * taps + src)) : 0);
          }
        }
        // Byte offset of the tap from its output position's cell in the first padded plane.
        store<i32>(offs + (<usize>t << 2), ((ci * pf + ky * dh * wp + kx * dw) << 2));
      }
    }
  }
  for (let b = 0; b < N; b++) {
    padImage(at(x, b * cin * H * W), xp, wp, pf);
    const yb = at(y, b * COUT * OH * OW);
    if (COUT == 1) single(xp, wk, bias == 0 ? <f32>0 : load<f32>(bias), yb, offs, wp, tail);
    else pairTiles(xp, wk, bias, yb, offs, wp, tail);
  }
}

/**
 * The first and one past the last kernel row that output row oy reads inside the input (padded row oy·SH + ky·DH
 * within [PH, PH + H)), as a tap index: rows wholly in the zero padding add nothing and are skipped.
 */
@inline function firstTap(oy: i32): i32 {
  const lo = PH - oy * SH;
  return (lo <= 0 ? 0 : min(KH, (lo + DH - 1) / DH)) * CIN * KW;
}
@inline function endTap(oy: i32): i32 {
  const hi = PH + H - 1 - oy * SH;
  // Most rows read every kernel row inside the input: no division for them.
  if (hi >= (KH - 1) * DH) return KH * CIN * KW;
  return (hi < 0 ? 0 : min(KH, hi / DH + 1)) * CIN * KW;
}

/** forwardTaps's tiles for one image: two output channels × 16 columns. */
function pairTiles(xp: usize, wk: usize, bias: usize, yb: usize, offs: usize, wp: i32, tail: usize): void {
  const oh = OH, ow = OW, sh = SH, plane = oh * ow, taps = CIN * KH * KW, pairs = (COUT + 1) >> 1;
  for (let cp = 0; cp < pairs; cp++) {
    const wc = at(wk, cp * taps * 2), co = 2 * cp, second = co + 1 < COUT;
    const u0 = bias == 0 ? <f32>0 : load<f32>(at(bias, co)), v0 = bias == 0 || !second ? <f32>0 : load<f32>(at(bias, co + 1));
    const bu = f32x4.splat(u0), bv = f32x4.splat(v0);
    for (let oy = 0; oy < oh; oy++) {
      const xr = at(xp, oy * sh * wp), y0 = at(yb, co * plane + oy * ow), y1 = at(y0, plane);
      const t0 = firstTap(oy), offEnd = offs + (<usize>max(t0, endTap(oy)) << 2), w0 = wc + (<usize>t0 << 3);
      for (let ox = 0; ox < ow; ox += 16) {
        let a0 = bu, a1 = bu, a2 = bu, a3 = bu, b0 = bv, b1 = bv, b2 = bv, b3 = bv;
        const base = at(xr, ox);
        for (let pw = w0, po = offs + (<usize>t0 << 2); po < offEnd; po += 4, pw += 8) {
          const px = base + <usize>load<i32>(po);
          const u = v128.load32_splat(pw), v = v128.load32_splat(pw, 4);
          let s = v128.load(px);
          a0 = madd(u, s, a0); b0 = madd(v, s, b0);
          s = v128.load(px, 16);
          a1 = madd(u, s, a1); b1 = madd(v, s, b1);
          s = v128.load(px, 32);
          a2 = madd(u, s, a2); b2 = madd(v, s, b2);
          s = v128.load(px, 48);
          a3 = madd(u, s, a3); b3 = madd(v, s, b3);
        }
        const full = ox + 16 <= ow;
        let p = full ? at(y0, ox) : tail;
        v128.store(p, a0); v128.store(p, a1, 16); v128.store(p, a2, 32); v128.store(p, a3, 48);
        if (!full) copyFloats(at(y0, ox), tail, ow - ox);
        if (second) {
          p = full ? at(y1, ox) : tail;
          v128.store(p, b0); v128.store(p, b1, 16); v128.store(p, b2, 32); v128.store(p, b3, 48);
          if (!full) copyFloats(at(y1, ox), tail, ow - ox);
        }
      }
    }
  }
}

/** forwardTaps's tiles for a single output channel: 32 columns, eight f32x4 sharing each weight (wk's first of each pair). */
function single(xp: usize, wk: usize, bias: f32, yb: usize, offs: usize, wp: i32, tail: usize): void {
  const oh = OH, ow = OW, sh = SH, b4 = f32x4.splat(bias);
  for (let oy = 0; oy < oh; oy++) {
    const xr = at(xp, oy * sh * wp), o = at(yb, oy * ow);
    const t0 = firstTap(oy), offEnd = offs + (<usize>max(t0, endTap(oy)) << 2), w0 = wk + (<usize>t0 << 3);
    for (let ox = 0; ox < ow; ox += 32) {
      let a0 = b4, a1 = b4, a2 = b4, a3 = b4, a4 = b4, a5 = b4, a6 = b4, a7 = b4;
      const base = at(xr, ox);
      for (let pw = w0, po = offs + (<usize>t0 << 2); po < offEnd; po += 4, pw += 8) {
        const px = base + <usize>load<i32>(po), u = v128.load32_splat(pw);
        a0 = madd(u, v128.load(px), a0); a1 = madd(u, v128.load(px, 16), a1);
        a2 = madd(u, v128.load(px, 32), a2); a3 = madd(u, v128.load(px, 48), a3);
        a4 = madd(u, v128.load(px, 64), a4); a5 = madd(u, v128.load(px, 80), a5);
        a6 = madd(u, v128.load(px, 96), a6); a7 = madd(u, v128.load(px, 112), a7);
      }
      const full = ox + 32 <= ow, p = full ? at(o, ox) : tail;
      v128.store(p, a0); v128.store(p, a1, 16); v128.store(p, a2, 32); v128.store(p, a3, 48);
      v128.store(p, a4, 64); v128.store(p, a5, 80); v128.store(p, a6, 96); v128.store(p, a7, 112);
      if (!full) copyFloats(at(o, ox), tail, ow - ox);
    }
  }
}

/**
 * How the weight gradient walks an image's output positions: in `rows` runs of `len` floats (a multiple of 4), run
 * r reading the padded plane from row r·SH. With stride 1 down, the output gradient is copied into rows as wide
 * as the padded plane (zeros past OW), so one run covers the whole map and a tap's reads are one plain stretch:
 * no per-row loop overhead on LeNet's 10- and 28-wide maps. With a larger stride each output row is its own run.
 */
@inline function wgWidth(): i32 {
  return SH == 1 ? W + 2 * PW : planeWidth(WG_COLS);
}
@inline function wgRows(): i32 {
  return SH == 1 ? 1 : OH;
}
@inline function wgLen(): i32 {
  return SH == 1 ? roundUp(OH * wgWidth(), 4) : roundUp(OW, WG_COLS);
}
/** Floats between output rows in the copied output gradient. */
@inline function wgRowStride(): i32 {
  return SH == 1 ? wgWidth() : roundUp(OW, WG_COLS);
}
/** Floats a flat run may read past the last padded plane: the last row's wrap by a tap's column offset. */
@inline function wgSlack(): i32 {
  return SLACK + (KW - 1) * DW;
}

function weightGradScratchFloats(): i32 {
  return CIN * (H + 2 * PH) * wgWidth() + wgSlack() + roundUp(COUT, 2) * wgRows() * wgLen() + roundUp(COUT, 2) * CIN * KH * KW + 4;
}

/**
 * gw[co, ci, tap] = Σ_b Σ_(oy, ox) gy[b, co, oy, ox]·xpad[b, ci] at the tap's offset. Needs SW = 1. Each image's
 * output gradient is first copied into runs of whole f32x4 with zeros past OW (and a zero plane for an odd channel
 * count; see wgRows): the zeros cancel whatever the padded plane holds where they land. A tile's lanes add up at
 * its end, four taps into one f32x4 (sum4), onto sums laid out like gw (not four lanes each: 2048² channels of
 * 3×3 taps would make that 150 MB).
 */
export function weightGradTaps(x: usize, gy: usize, gw: usize, scratch: usize): void {
  const cin = CIN, khw = KH * KW, kw = KW, dh = DH, dw = DW, sh = SH, oh = OH, ow = OW;
  const wp = wgWidth(), pf = (H + 2 * PH) * wp, pairs = (COUT + 1) >> 1;
  const rows = wgRows(), len = wgLen(), stride = wgRowStride(), gplane = rows * len;
  const xp = scratch, gp = at(xp, cin * pf + wgSlack()), acc = at(gp, 2 * pairs * gplane);
  const taps = cin * khw;
  memory.fill(acc, 0, <usize>(2 * pairs * taps) << 2);
  // Zeros that no image overwrites: the odd channel's plane, and each plane's rows past OW and tail.
  memory.fill(gp, 0, <usize>(2 * pairs * gplane) << 2);
  const quads = khw >> 2, runBytes = <usize>len << 2, xRowStep = <usize>(sh * wp) << 2;
  for (let b = 0; b < N; b++) {
    padImage(at(x, b * cin * H * W), xp, wp, pf);
    zeroFloats(at(xp, cin * pf), wgSlack());
    for (let co = 0; co < COUT; co++) {
      for (let oy = 0; oy < oh; oy++) copyFloats(at(gp, co * gplane + oy * stride), at(gy, ((b * COUT + co) * oh + oy) * ow), ow);
    }
    for (let cp = 0; cp < pairs; cp++) {
      const g0 = at(gp, 2 * cp * gplane), g1 = at(g0, gplane);
      for (let ci = 0; ci < cin; ci++) {
        const plane = at(xp, ci * pf);
        const accRow = at(acc, (2 * cp) * taps + ci * khw), accNext = at(accRow, taps);
        // Four taps at a time, then the rest one by one.
        for (let q = 0; q < quads; q++) {
          const t0 = q << 2;
          const o0 = tapOffset(t0, kw, dh, dw, wp), o1 = tapOffset(t0 + 1, kw, dh, dw, wp);
          const o2 = tapOffset(t0 + 2, kw, dh, dw, wp), o3 = tapOffset(t0 + 3, kw, dh, dw, wp);
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
          let pg = <usize>0, xr = plane;
          for (let r = 0; r < rows; r++, xr += xRowStep) {
            let px = xr;
            const end = pg + runBytes;
            for (; pg < end; pg += 16, px += 16) {
              const u = v128.load(g0 + pg), v = v128.load(g1 + pg);
              let s = v128.load(px + o0);
              a0 = madd(u, s, a0); b0 = madd(v, s, b0);
              s = v128.load(px + o1);
              a1 = madd(u, s, a1); b1 = madd(v, s, b1);
              s = v128.load(px + o2);
              a2 = madd(u, s, a2); b2 = madd(v, s, b2);
              s = v128.load(px + o3);
              a3 = madd(u, s, a3); b3 = madd(v, s, b3);
            }
          }
          const r0 = accRow + (<usize>t0 << 2), r1 = accNext + (<usize>t0 << 2);
          v128.store(r0, f32x4.add(v128.load(r0), sum4(a0, a1, a2, a3)));
          v128.store(r1, f32x4.add(v128.load(r1), sum4(b0, b1, b2, b3)));
        }
        for (let t = quads << 2; t < khw; t++) {
          const o = tapOffset(t, kw, dh, dw, wp);
          let a = f32x4.splat(0), c = f32x4.splat(0);
          let pg = <usize>0, xr = plane + o;
          for (let r = 0; r < rows; r++, xr += xRowStep) {
            let px = xr;
            const end = pg + runBytes;
            for (; pg < end; pg += 16, px += 16) {
              const s = v128.load(px);
              a = madd(v128.load(g0 + pg), s, a); c = madd(v128.load(g1 + pg), s, c);
            }
          }
          const r0 = accRow + (<usize>t << 2), r1 = accNext + (<usize>t << 2);
          store<f32>(r0, load<f32>(r0) + lanes(a));
          store<f32>(r1, load<f32>(r1) + lanes(c));
        }
      }
    }
  }
  copyFloats(gw, acc, COUT * taps);
}

/** The four lanes of v added up. */
@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** [Σ lanes of a, Σ of b, Σ of c, Σ of d]: four sums in six shuffles and three adds. */
@inline function sum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 1, 4, 5), v128.shuffle<f32>(a, b, 2, 3, 6, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 1, 4, 5), v128.shuffle<f32>(c, d, 2, 3, 6, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 2, 4, 6), v128.shuffle<f32>(ab, cd, 1, 3, 5, 7));
}
