/**
 * The WebAssembly kernels against the TypeScript ones on shapes large enough to cross their block boundaries
 * (several position blocks, row panels, weight-gradient depth blocks, ragged column groups), with stride,
 * padding and dilation drawn at random. Both paths must agree within the reference tolerance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { expectClose, randomTensor } from '../test-support/reference';
import { conv2d, conv2dBackward, type Conv2dOptions } from './conv2d';
import { setKernelPath } from './wasm/kernels';

function run(path: 'ts' | 'wasm', xs: number[], ws: number[], o: Conv2dOptions, seed: number) {
  expect(setKernelPath(path)).toBe(path);
  const x = randomTensor(xs, seed), w = randomTensor(ws, seed + 1, -0.3, 0.3), b = randomTensor([ws[0]], seed + 2).data;
  const y = conv2d(x, w, b, o);
  const g = conv2dBackward(x, w, randomTensor([...y.shape], seed + 3), o);
  return { y: y.data, gx: g.gradInput.data, gw: g.gradWeight.data, gb: g.gradBias };
}

describe('WebAssembly and TypeScript kernels agree', () => {
  afterAll(() => void setKernelPath('wasm'));
  const r = mulberry32(2026);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const cases: [number[], number[], Conv2dOptions][] = [
    // S5-like: many panels, 4096 positions in one image, stride-1 input gradient through the forward path.
    [[2, 16, 40, 40], [24, 16, 3, 3], { padding: 1 }],
    // LeNet's second conv: a valid conv on a small map (input gradient through Wᵀ·gy and col2im).
    [[8, 6, 14, 14], [16, 6, 5, 5], {}],
    // One output channel: the direct loops.
    [[2, 1, 67, 45], [1, 1, 3, 3], { padding: 1 }],
    [[2, 3, 33, 29], [2, 3, 4, 2], { stride: [2, 3], padding: [1, 2], dilation: [2, 1] }],
  ];
  for (let i = 0; i < 8; i++) {
    const kh = int(1, 5), kw = int(1, 5), d: [number, number] = [int(1, 2), int(1, 2)];
    const h = int(kh * d[0] + 4, 48), w = int(kw * d[1] + 4, 48);
    cases.push([[int(1, 3), int(1, 12), h, w], [int(1, 20), 0, kh, kw], {
      stride: [int(1, 3), int(1, 3)], padding: [int(0, 2), int(0, 2)], dilation: d, flip: r() < 0.3,
    }]);
  }
  cases.forEach(([xs, ws, o], i) => {
    ws[1] = xs[1];
    it(`x ${xs.join('×')}, w ${ws.join('×')}, ${JSON.stringify(o)}`, () => {
      const ts = run('ts', xs, ws, o, 50 + i), wasm = run('wasm', xs, ws, o, 50 + i);
      expectClose(wasm.y, ts.y, 'output');
      expectClose(wasm.gx, ts.gx, 'grad input');
      // The weight gradient sums over every position of the batch: compare relative to its largest value.
      const big = Math.max(1, ...Array.from(ts.gw, Math.abs));
      expectClose(Array.from(wasm.gw, (v) => v / big), Array.from(ts.gw, (v) => v / big), 'grad weight');
      expectClose(wasm.gb, ts.gb, 'grad bias');
    });
  });
});
