import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { naiveConv } from '../test-support/naive-conv';
import type { Tensor } from '../tensor';
import { conv2d, conv2dGeometry, conv2dInputGrad, conv2dParams, rotate180 } from './conv2d';
import { forwardWinograd, inputGradWinograd, WINOGRAD_TILES } from './conv2d-winograd';
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

const VARIANTS = WINOGRAD_TILES.map((tile) => ({ name: `F(${tile}×${tile}, 3×3)`, tile }));

describe.each(VARIANTS)('Winograd $name, called directly, against the definition', ({ tile }) => {
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
        forwardWinograd(tile, g, x.data, wd, bias, y);
        const gx = new Float32Array(x.data.length).fill(NaN);
        inputGradWinograd(tile, g, wd, gy.data, gx);
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

describe('Winograd\'s two tiles on the same calls', () => {
  // Every ragged edge of both tiles: maps 1 to 13 a side, so the last tile row and column hold 1, 2 or 3 outputs.
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])('agree with the definition and each other on %i-wide maps', (side) => {
    const r = mulberry32(side);
    const x = rand([2, 5, side + 1, side], r), k = rand([6, 5, 3, 3], r), bias = rand([6], r).data;
    const g = conv2dGeometry(x.shape, k.shape, conv2dParams({ padding: 1 }));
    const gy = rand([2, 6, g.oh, g.ow], r);
    const ref = naiveConv(x, k, bias, gy, { stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
    const outputs = WINOGRAD_TILES.map((tile) => {
      const y = new Float32Array(2 * 6 * g.oh * g.ow).fill(NaN), gx = new Float32Array(x.data.length).fill(NaN);
      forwardWinograd(tile, g, x.data, k.data, bias, y);
      inputGradWinograd(tile, g, k.data, gy.data, gx);
      expect(relErr(y, ref.output.data), `F(${tile}×${tile}) forward`).toBeLessThanOrEqual(1e-5);
      expect(relErr(gx, ref.gradInput), `F(${tile}×${tile}) input gradient`).toBeLessThanOrEqual(1e-5);
      return { y, gx };
    });
    expect(relErr(outputs[0].y, outputs[1].y)).toBeLessThanOrEqual(1e-5);
    expect(relErr(outputs[0].gx, outputs[1].gx)).toBeLessThanOrEqual(1e-5);
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
