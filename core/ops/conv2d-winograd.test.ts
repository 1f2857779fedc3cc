import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { naiveConv } from '../test-support/naive-conv';
import type { Tensor } from '../tensor';
import { conv2d, conv2dGeometry, conv2dInputGrad, conv2dParams, rotate180 } from './conv2d';
import { forwardWinograd, forwardWinograd4, inputGradWinograd, inputGradWinograd4 } from './conv2d-winograd';
import { onEachKernelPath } from '../test-support/kernel-paths';

/** Largest |got − ref| / max(1, |ref|) over the values. */
function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(got.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]) / Math.max(1, Math.abs(ref[i])));
  return worst;
}

function rand(shape: number[], r: () => number, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => (2 * r() - 1) * scale) };
}

const VARIANTS = [
  { name: 'F(2×2, 3×3)', forward: forwardWinograd, inputGrad: inputGradWinograd },
  { name: 'F(4×4, 3×3)', forward: forwardWinograd4, inputGrad: inputGradWinograd4 },
];

describe.each(VARIANTS)('Winograd $name, called directly, against the definition', ({ forward, inputGrad }) => {
  const r = mulberry32(20261126);
  const cases: [number, number, number, number, number, number][] = [];
  // [n, cin, cout, h, w, pad]: odd and even maps, 1×1 and 2×2 maps, paddings 0..2.
  const fixed: [number, number, number, number, number, number][] = [
    [1, 1, 1, 1, 1, 1], [1, 2, 3, 2, 2, 1], [2, 3, 2, 1, 1, 2], [1, 1, 1, 3, 3, 0], [2, 4, 5, 7, 9, 1],
    [3, 5, 3, 8, 8, 0], [1, 2, 7, 5, 6, 2], [2, 8, 16, 13, 11, 1], [1, 3, 3, 4, 3, 0],
  ];
  cases.push(...fixed);
  for (let i = 0; i < 12; i++) {
    const pad = Math.floor(r() * 3), h = 1 + Math.floor(r() * 17), w = 1 + Math.floor(r() * 17);
    if (h + 2 * pad < 3 || w + 2 * pad < 3) continue;
    cases.push([1 + Math.floor(r() * 3), 1 + Math.floor(r() * 9), 1 + Math.floor(r() * 9), h, w, pad]);
  }
  let worst = 0;
  for (const [n, cin, cout, h, w, pad] of cases) {
    for (const flip of [false, true]) {
      it(`N=${n} Cin=${cin} Cout=${cout} ${h}×${w} pad ${pad}${flip ? ' flip' : ''}`, () => {
        const x = rand([n, cin, h, w], r), k = rand([cout, cin, 3, 3], r), bias = rand([cout], r).data;
        const p = conv2dParams({ padding: pad, flip });
        const g = conv2dGeometry(x.shape, k.shape, p);
        const gy = rand([n, cout, g.oh, g.ow], r);
        const ref = naiveConv(x, k, bias, gy, { stride: [1, 1], padding: [pad, pad], dilation: [1, 1], flip });
        const wd = flip ? rotate180(k.data, cout * cin, 3, 3) : k.data;
        const y = new Float32Array(n * cout * g.oh * g.ow).fill(NaN);
        forward(g, x.data, wd, bias, y);
        const gx = new Float32Array(x.data.length).fill(NaN);
        inputGrad(g, wd, gy.data, gx);
        const e = Math.max(relErr(y, ref.output.data), relErr(gx, ref.gradInput));
        worst = Math.max(worst, e);
        expect(e).toBeLessThanOrEqual(1e-5);
      });
    }
  }
  it('matches to float32 rounding (worst relative error seen)', () => {
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1e-6);
    console.log(`Winograd worst relative error: ${worst.toExponential(2)}`);
  });
});

onEachKernelPath(() => {
  describe('conv2d on large 3×3 stride-1 calls (Winograd on the TypeScript path) still matches the definition', () => {
    it.each([[2, 16, 20, 19, 24], [3, 16, 5, 5, 8], [2, 1, 33, 30, 16]])('forward and input gradient of a %i×%i×%i×%i → %i conv', (n, cin, h, w, cout) => {
      const r = mulberry32(7);
      const x = rand([n, cin, h, w], r), k = rand([cout, cin, 3, 3], r, 0.3), bias = rand([cout], r).data;
      const y = conv2d(x, k, bias, { padding: 1 });
      const gy = rand([...y.shape], r);
      const ref = naiveConv(x, k, bias, gy, { stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
      expect(relErr(y.data, ref.output.data)).toBeLessThanOrEqual(1e-5);
      expect(relErr(conv2dInputGrad(x.shape, k, gy, { padding: 1 }).data, ref.gradInput)).toBeLessThanOrEqual(1e-5);
    });
  });
});
