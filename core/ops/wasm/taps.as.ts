/**
 * conv2d's tap loops in WebAssembly SIMD for stride 1 across (any stride down, any dilation): no im2col. Each input
 * plane of an image is copied once into a zero-padded plane wide enough that every tap's row of output columns
 * reads inside it; a tap (ci, ky, kx) of output row oy then reads a plain run of that plane, four output columns
 * per f32x4. Register tiles (eight f32x4 accumulators, within the sixteen SIMD registers of x86-64) give each
 * loaded vector several uses:
 *  - forward: 2 output channels × 16 output columns summed over every (ci, ky, kx) (1 channel × 32 columns);
 *  - weight gradient: 2 output channels × 4 taps summed over every output position of the image;
 *  - input gradient (stride 1 both ways): 2 input channels × 16 positions summed over every output channel, then
 *    added at each tap's offset.
 * im2col copies each input value KH·KW times for a product that reuses it only Cout times: with LeNet's 1→6 conv
 * the copying cost more than the product, and the taps ran its three passes 2–3× faster.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, SH, SW, W } from './geometry.as';
import { copyFloats, zeroFloats } from './moves.as';

/**
 * Output columns per forward tile: four f32x4 for each of two channels, or eight for a single channel (the input
 * gradient of a one-channel input); per weight-gradient step, one f32x4.
 */
@inline function fwdCols(): i32 {
  return COUT == 1 ? 32 : 16;
}
const WG_COLS: i32 = 4;
/** Floats the last padded plane may be read past its end by a tap of the last row. */
const SLACK: i32 = 16;

@inline function roundUp(n: i32, m: i32): i32 {
  return (n + m - 1) / m * m;
}

@inline function at(p: usize, floats: i32): usize {
  return p + (<usize>floats << 2);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Width of a padded plane: the input with its padding, or more, so a tile of `cols` columns never reads past a row. */
@inline function planeWidth(cols: i32): i32 {
  return max(W + 2 * PW, roundUp(OW, cols) + (KW - 1) * DW);
}

@inline function planeFloats(cols: i32): i32 {
  return (H + 2 * PH) * planeWidth(cols);
}

/** Copies plane x (H×W) into out as (H+2PH) rows of wp floats, the input at column PW, zeros elsewhere; negative padding crops. */
function padPlane(x: usize, out: usize, wp: i32): void {
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
function padImage(x: usize, out: usize, wp: i32, pf: i32): void {
  for (let ci = 0; ci < CIN; ci++) padPlane(at(x, ci * H * W), at(out, ci * pf), wp);
  zeroFloats(at(out, CIN * pf), SLACK);
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

/** Byte offset of tap t = ky·KW + kx in a padded plane of row width wp. */
@inline function tapOffset(t: i32, kw: i32, dh: i32, dw: i32, wp: i32): usize {
  const ky = t / kw, kx = t - ky * kw;
  return <usize>(ky * dh * wp + kx * dw) << 2;
}

/**
 * How the input gradient's tap loops lay an image out (stride 1 both ways): gy in rows as wide as the padded input
 * (zeros past OW), one flat run of igLen() floats per channel; the padded input gradient in planes of igPlane()
 * floats, room for every tap's shifted run.
 */
@inline function igWidth(): i32 {
  return W + 2 * PW;
}
@inline function igLen(): i32 {
  return roundUp(OH * igWidth(), 16);
}
@inline function igPlane(): i32 {
  return max((H + 2 * PH) * igWidth(), igLen() + (KH - 1) * DH * igWidth() + (KW - 1) * DW);
}

export function inputGradTapsScratch(): i32 {
  const pairs = (CIN + 1) >> 1;
  return COUT * igLen() + 2 * pairs * igPlane() + pairs * KH * KW * COUT * 2;
}

/**
 * gx[b, ci] = Σ_co Σ_tap w[co, ci, tap]·gy[b, co] shifted by the tap, for stride 1 both ways and padding ≥ 0: each
 * tile sums 16 output positions of two input channels over every output channel in registers, then adds them onto
 * the padded input gradient at the tap's offset. Where the input is much larger than the output (LeNet's valid 5×5
 * conv on 14×14), this skips the zero border that the rotated-kernel forward would multiply, and the im2col-sized
 * block and scatter of Wᵀ·gy then col2im. Weights packed wk[((cp·KHW + tap)·COUT + co)·2 + j] = w[co, 2cp + j, tap].
 */
export function inputGradTaps(w: usize, gy: usize, gx: usize, scratch: usize): void {
  const cin = CIN, cout = COUT, khw = KH * KW, kw = KW, dh = DH, dw = DW, oh = OH, ow = OW, h = H, wd = W;
  const wp = igWidth(), len = igLen(), plane = igPlane(), pairs = (cin + 1) >> 1;
  const gyw = scratch, gxp = at(gyw, cout * len), wk = at(gxp, 2 * pairs * plane);
  for (let cp = 0; cp < pairs; cp++) {
    for (let t = 0; t < khw; t++) {
      for (let co = 0; co < cout; co++) {
        for (let j = 0; j < 2; j++) {
          const ci = 2 * cp + j;
          store<f32>(at(wk, ((cp * khw + t) * cout + co) * 2 + j), ci < cin ? load<f32>(at(w, (co * cin + ci) * khw + t)) : 0);
        }
      }
    }
  }
  memory.fill(gyw, 0, <usize>(cout * len) << 2);
  const coStep = <usize>len << 2, pairWeights = <usize>(cout * 2) << 2;
  for (let b = 0; b < N; b++) {
    for (let co = 0; co < cout; co++) {
      for (let oy = 0; oy < oh; oy++) copyFloats(at(gyw, co * len + oy * wp), at(gy, ((b * cout + co) * oh + oy) * ow), ow);
    }
    memory.fill(gxp, 0, <usize>(2 * pairs * plane) << 2);
    for (let q = 0; q < len; q += 16) {
      const g = at(gyw, q);
      for (let cp = 0; cp < pairs; cp++) {
        const d0 = at(gxp, 2 * cp * plane + q), d1 = at(d0, plane);
        let pw = at(wk, cp * khw * cout * 2);
        for (let t = 0; t < khw; t++) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
          let pg = g;
          const wEnd = pw + pairWeights;
          for (; pw < wEnd; pw += 8, pg += coStep) {
            const u = v128.load32_splat(pw), v = v128.load32_splat(pw, 4);
            let s = v128.load(pg);
            a0 = madd(u, s, a0); b0 = madd(v, s, b0);
            s = v128.load(pg, 16);
            a1 = madd(u, s, a1); b1 = madd(v, s, b1);
            s = v128.load(pg, 32);
            a2 = madd(u, s, a2); b2 = madd(v, s, b2);
            s = v128.load(pg, 48);
            a3 = madd(u, s, a3); b3 = madd(v, s, b3);
          }
          const off = tapOffset(t, kw, dh, dw, wp), p0 = d0 + off, p1 = d1 + off;
          v128.store(p0, f32x4.add(v128.load(p0), a0)); v128.store(p0, f32x4.add(v128.load(p0, 16), a1), 16);
          v128.store(p0, f32x4.add(v128.load(p0, 32), a2), 32); v128.store(p0, f32x4.add(v128.load(p0, 48), a3), 48);
          v128.store(p1, f32x4.add(v128.load(p1), b0)); v128.store(p1, f32x4.add(v128.load(p1, 16), b1), 16);
          v128.store(p1, f32x4.add(v128.load(p1, 32), b2), 32); v128.store(p1, f32x4.add(v128.load(p1, 48), b3), 48);
        }
      }
    }
    for (let ci = 0; ci < cin; ci++) {
      for (let iy = 0; iy < h; iy++) {
        copyFloats(at(gx, ((b * cin + ci) * h + iy) * wd), at(gxp, ci * plane + (iy + PH) * wp + PW), wd);
      }
    }
  }
}

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
