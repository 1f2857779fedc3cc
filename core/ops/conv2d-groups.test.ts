// Grouped and depthwise convolution against the definition: each group an ordinary conv2d on its channel slices,
// on both kernel paths, with the gradients against finite differences of the whole call.
import { describe, expect, it } from 'vitest';
import { onEachKernelPath } from '../test-support/kernel-paths';
import { expectClose, randomTensor } from '../test-support/reference';
import { conv2d, conv2dBackward } from './conv2d';
import type { Tensor } from '../tensor';

/** The definition written out: output channel o of group g sums group g's input channels with w[o]. */
function naiveGrouped(x: Tensor, w: Tensor, bias: Float32Array, groups: number, stride: number, pad: number): Float32Array {
  const [n, cin, h, iw] = x.shape, [cout, ci, kh, kw] = w.shape, co = cout / groups;
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1, ow = Math.floor((iw + 2 * pad - kw) / stride) + 1;
  const y = new Float32Array(n * cout * oh * ow);
  for (let b = 0; b < n; b++) for (let o = 0; o < cout; o++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    let s = bias[o];
    const g = Math.floor(o / co);
    for (let c = 0; c < ci; c++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
      if (iy >= 0 && iy < h && ix >= 0 && ix < iw) s += x.data[((b * cin + g * ci + c) * h + iy) * iw + ix] * w.data[((o * ci + c) * kh + ky) * kw + kx];
    }
    y[((b * cout + o) * oh + oy) * ow + ox] = s;
  }
  return y;
}

describe('grouped convolution', () => {
  onEachKernelPath(() => {
    for (const [cin, cout, groups, k, stride, pad] of [[4, 6, 2, 3, 1, 1], [8, 8, 8, 3, 2, 1], [6, 12, 3, 1, 1, 0], [32, 32, 32, 3, 1, 1]]) {
      it(`${cin}→${cout} in ${groups} groups, ${k}×${k}/${stride} pad ${pad}`, () => {
        const x = randomTensor([2, cin, 9, 11], 1), w = randomTensor([cout, cin / groups, k, k], 2, -0.5, 0.5), b = randomTensor([cout], 3).data;
        const y = conv2d(x, w, b, { stride, padding: pad, groups });
        expectClose(y.data, naiveGrouped(x, w, b, groups, stride, pad), 'output');
        // Gradients: Σ y·r's derivative against central differences at a few inputs and weights.
        const r = randomTensor([...y.shape], 4);
        const g = conv2dBackward(x, w, r, { stride, padding: pad, groups });
        const loss = (xx: Tensor, ww: Tensor) => conv2d(xx, ww, b, { stride, padding: pad, groups }).data.reduce((s, v, i) => s + v * r.data[i], 0);
        for (const [t, grad] of [[x, g.gradInput.data], [w, g.gradWeight.data]] as const) {
          for (const i of [0, 5, t.data.length - 1]) {
            const keep = t.data[i], e = 1e-2;
            t.data[i] = keep + e; const up = loss(x, w);
            t.data[i] = keep - e; const down = loss(x, w);
            t.data[i] = keep;
            expect(grad[i]).toBeCloseTo((up - down) / (2 * e), 1);
          }
        }
        const perChannel = Array.from({ length: cout }, (_, o) => r.data.filter((_, i) => Math.floor(i / (y.shape[2] * y.shape[3])) % cout === o).reduce((s, v) => s + v, 0));
        expectClose(g.gradBias, Float32Array.from(perChannel), 'grad bias');
      });
    }
    it('refuses groups that do not divide the channels, naming the rule', () => {
      const x = randomTensor([1, 6, 5, 5], 1);
      expect(() => conv2d(x, randomTensor([4, 2, 3, 3], 2), null, { groups: 4 })).toThrow('groups 4 must divide the input\'s 6 channels');
      expect(() => conv2d(x, randomTensor([6, 3, 3, 3], 2), null, { groups: 3 })).toThrow('with groups 3 the weight takes 2 input channels (6 ÷ 3), got 3');
      expect(() => conv2d(x, randomTensor([4, 6, 3, 3], 2), null, { groups: 1.5 })).toThrow('groups must be a whole number ≥ 1, got 1.5');
    });
  });
});
