/**
 * The forward pass of a deep convolution on a map of a few positions (ResNet-18's 512→512 3×3 at 3×3, GoogLeNet's
 * last Inceptions): as a dense layer, each output position a row of its patch against the weights in their own
 * OIHW layout (dense-wasm.ts). The panels' route would pack all the weights into panels first, a strided copy of
 * megabytes that cost more than a product of 9 positions (512→512 at 3×3: 7 ms, of which the product under 1).
 */
import type { Conv2dGeometry } from './conv2d-geometry';
import { denseWasm } from './dense-wasm';
import { floats } from './floats';
import type { WasmKernels } from './wasm/kernels';

/** Most output positions (the whole batch's) and fewest multiply-adds a position for which the forward goes as a dense layer. */
export const SMALL_MAP_POSITIONS = 16, SMALL_MAP_DEPTH = 256;

/** Whether a forward pass takes the dense route: few positions in all, deep products. */
export function bySmallMap(g: Conv2dGeometry): boolean {
  return g.n * g.oh * g.ow <= SMALL_MAP_POSITIONS && g.cin * g.kh * g.kw >= SMALL_MAP_DEPTH;
}

/** y = conv(x, w) + bias, `w` OIHW (already rotated for true convolution), as rows of patches times Wᵀ. */
export function forwardSmallMap(k: WasmKernels, g: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array): void {
  const { n, cin, h, w: iw, kh, kw, sh, sw, ph, pw, dh, dw, cout, oh, ow } = g;
  const depth = cin * kh * kw, positions = oh * ow, rows = n * positions;
  // patches[(b·P + p)·depth + (ci·KH + ky)·KW + kx]: zero where the tap falls in the padding.
  const patches = floats(rows * depth);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const row = ((b * oh + oy) * ow + ox) * depth;
        for (let ci = 0; ci < cin; ci++) {
          const plane = (b * cin + ci) * h * iw;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - ph + ky * dh;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pw + kx * dw;
              if (ix >= 0 && ix < iw) patches[row + (ci * kh + ky) * kw + kx] = x[plane + iy * iw + ix];
            }
          }
        }
      }
    }
  }
  const byRow = floats(rows * cout, false);
  denseWasm(k, patches, w, null, rows, depth, cout, byRow);
  for (let b = 0; b < n; b++) {
    for (let co = 0; co < cout; co++) {
      const add = bias === null ? 0 : bias[co], out = (b * cout + co) * positions;
      for (let p = 0; p < positions; p++) y[out + p] = byRow[(b * positions + p) * cout + co] + add;
    }
  }
}
