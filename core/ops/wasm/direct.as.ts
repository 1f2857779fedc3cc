/**
 * conv2d's direct passes in WebAssembly SIMD, the twins of ../conv2d-direct.ts, for few output rows (one or two
 * channels), where a 4-row panel would be mostly padding: each input plane is copied once into a zero-padded
 * plane, then every kernel tap adds w·(shifted row) to the output rows, four columns per f32x4.
 */
import { CIN, COUT, DH, DW, H, KH, KW, N, OH, OW, PH, PW, SH, SW, W } from './geometry.as';
import { at } from './inline.as';
import { zeroFloats } from './moves.as';
import { padPlane } from './padded-planes.as';

/** Floats the padded plane may be read past its end by a last group of four. */
const SLACK: i32 = 16;

export function directScratch(): i32 {
  return (H + 2 * PH) * (W + 2 * PW) + SLACK;
}

/** acc[oy·OW + ox] += Σ_{ky,kx} k[ky,kx] · xp[(oy·SH + ky·DH)·wp + ox·SW + kx·DW]. */
function correlatePlane(xp: usize, wp: i32, k: usize, acc: usize): void {
  const oh = OH, ow = OW, sh = SH, sw = SW, dh = DH, dw = DW, kw = KW;
  for (let ky = 0; ky < KH; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const wv = load<f32>(at(k, ky * kw + kx)), wv4 = f32x4.splat(wv);
      for (let oy = 0; oy < oh; oy++) {
        const r = at(xp, (oy * sh + ky * dh) * wp + kx * dw), a = at(acc, oy * ow);
        let ox = 0;
        if (sw == 1) {
          for (; ox + 4 <= ow; ox += 4) {
            const p = a + (<usize>ox << 2);
            v128.store(p, f32x4.add(v128.load(p), f32x4.mul(wv4, v128.load(r + (<usize>ox << 2)))));
          }
        }
        for (; ox < ow; ox++) {
          const p = a + (<usize>ox << 2);
          store<f32>(p, load<f32>(p) + wv * load<f32>(r + (<usize>(ox * sw) << 2)));
        }
      }
    }
  }
}

/** y[b, co] = bias[co] + Σ_ci corr(x[b, ci] padded, w[co, ci]); `bias` 0 means none. */
export function forwardDirect(x: usize, w: usize, bias: usize, y: usize, scratch: usize): void {
  const P = OH * OW, wp = W + 2 * PW, khw = KH * KW, cin = CIN, cout = COUT;
  for (let b = 0; b < N; b++) {
    const yb = at(y, b * cout * P);
    for (let co = 0; co < cout; co++) {
      const v = bias == 0 ? <f32>0 : load<f32>(at(bias, co));
      const v4 = f32x4.splat(v), o = at(yb, co * P);
      let i = 0;
      for (; i + 4 <= P; i += 4) v128.store(o + (<usize>i << 2), v4);
      for (; i < P; i++) store<f32>(o + (<usize>i << 2), v);
    }
    for (let ci = 0; ci < cin; ci++) {
      padPlane(at(x, (b * cin + ci) * H * W), scratch, wp);
      for (let co = 0; co < cout; co++) correlatePlane(scratch, wp, at(w, (co * cin + ci) * khw), at(yb, co * P));
    }
  }
}

/** gw[co, ci, ky, kx] = Σ_b Σ_p gy[b, co, p] · (padded x[b, ci]) at the tap's offset: four lanes of dot product. */
export function weightGradDirect(x: usize, gy: usize, gw: usize, scratch: usize): void {
  const oh = OH, ow = OW, sh = SH, sw = SW, dh = DH, dw = DW, kh = KH, kw = KW, cin = CIN, cout = COUT;
  const wp = W + 2 * PW, khw = kh * kw, P = oh * ow;
  memory.fill(gw, 0, <usize>(cout * cin * khw) << 2);
  for (let b = 0; b < N; b++) {
    for (let ci = 0; ci < cin; ci++) {
      padPlane(at(x, (b * cin + ci) * H * W), scratch, wp);
      for (let co = 0; co < cout; co++) {
        const g = at(gy, (b * cout + co) * P);
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            let s4 = f32x4.splat(0), s: f32 = 0;
            for (let oy = 0; oy < oh; oy++) {
              const r = at(scratch, (oy * sh + ky * dh) * wp + kx * dw), go = at(g, oy * ow);
              let ox = 0;
              if (sw == 1) {
                for (; ox + 4 <= ow; ox += 4) {
                  s4 = f32x4.add(s4, f32x4.mul(v128.load(go + (<usize>ox << 2)), v128.load(r + (<usize>ox << 2))));
                }
              }
              for (; ox < ow; ox++) s += load<f32>(go + (<usize>ox << 2)) * load<f32>(r + (<usize>(ox * sw) << 2));
            }
            s += f32x4.extract_lane(s4, 0) + f32x4.extract_lane(s4, 1) + f32x4.extract_lane(s4, 2) + f32x4.extract_lane(s4, 3);
            const p = at(gw, (co * cin + ci) * khw + ky * kw + kx);
            store<f32>(p, load<f32>(p) + s);
          }
        }
      }
    }
  }
}
