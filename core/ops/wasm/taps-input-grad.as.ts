/**
 * conv2d's input gradient on the tap loops (stride 1 both ways): the twin of taps.as.ts's forward for the input
 * gradient of a map much larger than its output gradient.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, W } from './geometry.as';
import { at, madd, roundUp } from './inline.as';
import { copyFloats } from './moves.as';
import { tapOffset } from './padded-planes.as';

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
