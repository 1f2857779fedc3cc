/**
 * The WebAssembly kernels (conv2d, dense, pooling, sigmoid) against the TypeScript ones on shapes large enough to cross their block boundaries
 * (several position blocks, row panels, weight-gradient depth blocks, ragged column groups), with stride,
 * padding and dilation drawn at random. Both paths must agree within the reference tolerance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { expectClose, randomTensor } from '../test-support/reference';
import { activation } from './activation';
import { conv2d, conv2dBackward, type Conv2dOptions } from './conv2d';
import { allowTaps } from './conv2d-wasm';
import { dense, denseBackward } from './dense';
import { gemmPacked, MR, NR, packRows } from './gemm';
import { pool2d, pool2dBackward } from './pool2d';
import { fromBase64, setKernelPath } from './wasm/kernels';
import { KERNELS_WASM, KERNELS_WASM_RELAXED } from './wasm/kernels.generated';

/** One call's outputs on a kernel path; `taps` false keeps the WebAssembly path off its tap loops (the panels then run). */
function run(path: 'ts' | 'wasm', xs: number[], ws: number[], o: Conv2dOptions, seed: number, taps = true) {
  expect(setKernelPath(path)).toBe(path);
  allowTaps(taps);
  const x = randomTensor(xs, seed), w = randomTensor(ws, seed + 1, -0.3, 0.3), b = randomTensor([ws[0]], seed + 2).data;
  const y = conv2d(x, w, b, o);
  const g = conv2dBackward(x, w, randomTensor([...y.shape], seed + 3), o);
  return { y: y.data, gx: g.gradInput.data, gw: g.gradWeight.data, gb: g.gradBias };
}

function expectAgree(wasm: ReturnType<typeof run>, ts: ReturnType<typeof run>): void {
  expectClose(wasm.y, ts.y, 'output');
  expectClose(wasm.gx, ts.gx, 'grad input');
  // The weight gradient sums over every position of the batch: compare relative to its largest value.
  const big = Math.max(1, ...Array.from(ts.gw, Math.abs));
  expectClose(Array.from(wasm.gw, (v) => v / big), Array.from(ts.gw, (v) => v / big), 'grad weight');
  expectClose(wasm.gb, ts.gb, 'grad bias');
}

describe('WebAssembly and TypeScript kernels agree', () => {
  afterAll(() => {
    setKernelPath('wasm');
    allowTaps(true);
  });
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
    // Deep products (360 and 576 deep): the panels' product a depth slice at a time, over two blocks of positions;
    // the second too deep for the tap loops.
    [[1, 40, 20, 20], [12, 40, 3, 3], { padding: 1 }],
    [[1, 64, 12, 12], [10, 64, 3, 3], { padding: 1 }],
    // A deep product on a few positions (the whole batch's): the forward as a dense layer, with stride and padding.
    [[2, 30, 5, 5], [9, 30, 3, 3], { stride: 2, padding: 1 }],
    // 1×1: the panels' product reads the input in place, ragged against the 8-column groups.
    [[2, 20, 9, 7], [12, 20, 1, 1], {}],
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
      const ts = run('ts', xs, ws, o, 50 + i);
      // With the tap loops where they apply, and with the panels and direct loops on the same call.
      expectAgree(run('wasm', xs, ws, o, 50 + i), ts);
      expectAgree(run('wasm', xs, ws, o, 50 + i, false), ts);
    });
  });
});

describe('the tap loops and TypeScript agree', () => {
  afterAll(() => {
    setKernelPath('wasm');
    allowTaps(true);
  });
  const r = mulberry32(1313);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const cases: [number[], number[], Conv2dOptions][] = [
    // LeNet's first conv (one input channel, six outputs: an odd number of channel pairs is not an issue, three).
    [[3, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }],
    // An odd output channel count (the last pair half empty), ragged rows against both tile widths.
    [[2, 5, 19, 37], [7, 5, 3, 3], { padding: 1 }],
    // Kernel wider than the padding on a narrow map, stride down only.
    [[2, 3, 23, 13], [4, 3, 3, 5], { stride: [2, 1], padding: [0, 1] }],
    // Input gradients of maps much larger than their output (the input-gradient tap loops): an odd input channel
    // count, then dilation.
    [[3, 5, 13, 17], [4, 5, 5, 5], {}],
    [[2, 3, 16, 20], [5, 3, 3, 2], { dilation: [2, 2] }],
    // Lanes over output channels (a multiple of 8), which take any stride: a ragged last group of positions.
    [[2, 3, 17, 19], [16, 3, 3, 3], { stride: 2, padding: 1 }],
    [[1, 5, 11, 9], [8, 5, 2, 3], { stride: [1, 3], dilation: [2, 1], flip: true }],
  ];
  for (let i = 0; i < 8; i++) {
    const kh = int(1, 5), kw = int(1, 5), d: [number, number] = [int(1, 3), int(1, 3)];
    const h = int(kh * d[0] + 2, 40), w = int(kw * d[1] + 10, 48);
    cases.push([[int(1, 3), int(1, 9), h, w], [int(1, 11), 0, kh, kw], {
      stride: [int(1, 3), 1], padding: [int(0, 3), int(0, 3)], dilation: d, flip: r() < 0.3,
    }]);
  }
  cases.forEach(([xs, ws, o], i) => {
    ws[1] = xs[1];
    it(`x ${xs.join('×')}, w ${ws.join('×')}, ${JSON.stringify(o)}`, () => {
      expectAgree(run('wasm', xs, ws, o, 90 + i), run('ts', xs, ws, o, 90 + i));
    });
  });
});

describe('the WebAssembly build', () => {
  it('holds a relaxed-SIMD binary and a plain-SIMD fallback, both valid modules', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    for (const binary of [KERNELS_WASM_RELAXED, KERNELS_WASM]) expect(api.validate(fromBase64(binary))).toBe(true);
  });
});

describe('dense on WebAssembly and TypeScript agree', () => {
  afterAll(() => void setKernelPath('wasm'));
  // LeNet's dense layers at a batch of 37 (ragged against the 4-row panels and 8-column groups); W in three blocks of rows.
  for (const [n, inp, out] of [[37, 400, 120], [37, 120, 84], [256, 84, 10], [5, 33, 7], [1, 1027, 13], [6, 6400, 9], [2, 30000, 20]]) {
    it(`${n}×${inp} → ${out}`, () => {
      const x = randomTensor([n, inp], 1), w = randomTensor([out, inp], 2, -0.2, 0.2), b = randomTensor([out], 3).data;
      const gy = randomTensor([n, out], 4);
      const both = (['ts', 'wasm'] as const).map((path) => {
        expect(setKernelPath(path)).toBe(path);
        return { y: dense(x, w, b).data, ...denseBackward(x, w, gy) };
      });
      expectClose(both[1].y, both[0].y, 'output');
      expectClose(both[1].gradInput.data, both[0].gradInput.data, 'grad input');
      expectClose(both[1].gradWeight.data, both[0].gradWeight.data, 'grad weight');
      expectClose(both[1].gradBias, both[0].gradBias, 'grad bias');
    });
  }
});

describe('dense on WebAssembly gives a row the same values whatever batch it is in', () => {
  afterAll(() => void setKernelPath('wasm'));
  // A split batch (parallel training, the bench's two threads) must give each image what the whole batch gives it
  // (one row of 531 × 10 is still above the size where dense leaves WebAssembly).
  it('7 rows of 531 → 10 together and one by one, bit for bit', () => {
    expect(setKernelPath('wasm')).toBe('wasm');
    const x = randomTensor([7, 531], 5), w = randomTensor([10, 531], 6, -0.2, 0.2), b = randomTensor([10], 7).data;
    const whole = dense(x, w, b).data;
    for (let r = 0; r < 7; r++) {
      const one = dense({ shape: [1, 531], data: x.data.slice(r * 531, (r + 1) * 531) }, w, b).data;
      expect(Array.from(one)).toEqual(Array.from(whole.subarray(r * 10, (r + 1) * 10)));
    }
  });
});

describe('pooling on WebAssembly and TypeScript agree', () => {
  afterAll(() => void setKernelPath('wasm'));
  const r = mulberry32(77);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  for (let i = 0; i < 8; i++) {
    const kernel: [number, number] = [int(1, 4), int(1, 4)];
    const o = { mode: i % 2 === 0 ? 'max' as const : 'avg' as const, kernel, stride: [int(1, 3), int(1, 3)] as [number, number],
      padding: [int(0, kernel[0] - 1), int(0, kernel[1] - 1)] as [number, number], countIncludePad: r() < 0.5 };
    const shape = [int(1, 4), int(1, 6), int(kernel[0] + 8, 40), int(kernel[1] + 8, 40)];
    it(`x ${shape.join('×')}, ${JSON.stringify(o)}`, () => {
      const x = randomTensor(shape, 10 + i);
      const both = (['ts', 'wasm'] as const).map((path) => {
        expect(setKernelPath(path)).toBe(path);
        const y = pool2d(x, o);
        return { y: y.data, gx: pool2dBackward(x, randomTensor([...y.shape], 20 + i), o).data };
      });
      expectClose(both[1].y, both[0].y, 'output');
      expectClose(both[1].gx, both[0].gx, 'grad input');
    });
  }
});

describe('gemmPacked on WebAssembly and TypeScript agree', () => {
  afterAll(() => void setKernelPath('wasm'));
  // Plain row-major B (ps = NR, bs = row length) and packed 4-column panels (ps = T·NR, bs = NR), with C added onto.
  for (const [M, N, T, packedB] of [[37, 52, 75, false], [64, 96, 144, true], [6, 400, 120, false]] as const) {
    it(`${M}×${T} · ${T}×${N}${packedB ? ', B in panels' : ''}`, () => {
      const r = mulberry32(M * N + T);
      const src = Float32Array.from({ length: M * T }, () => r() - 0.5);
      const nPanels = Math.ceil(N / NR), mPanels = Math.ceil(M / MR);
      const B = Float64Array.from({ length: nPanels * NR * T }, () => r() - 0.5);
      const [ps, bs] = packedB ? [T * NR, NR] : [NR, nPanels * NR];
      const Ap = new Float64Array(mPanels * MR * T);
      packRows(src, 0, T, M, T, Ap);
      const ldc = nPanels * NR, C0 = Float64Array.from({ length: mPanels * MR * ldc }, () => r());
      const both = (['ts', 'wasm'] as const).map((path) => {
        expect(setKernelPath(path)).toBe(path);
        const C = C0.slice();
        gemmPacked(Ap, mPanels, B, nPanels, ps, bs, T, C, ldc);
        return Array.from({ length: M }, (_, i) => Array.from(C.subarray(i * ldc, i * ldc + N))).flat();
      });
      expectClose(both[1], both[0], 'C');
    });
  }
});

describe('the WebAssembly sigmoid agrees with the TypeScript one', () => {
  afterAll(() => void setKernelPath('wasm'));
  it('on values from −100 to 100, zeros, ±88 and a ragged tail', () => {
    const n = 4099, x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = (i / n - 0.5) * 200;
    x.set([0, -0, -88, 88, 1e-30, -1e-30, 20, -20], 0);
    const both = (['ts', 'wasm'] as const).map((path) => {
      expect(setKernelPath(path)).toBe(path);
      return activation({ shape: [n], data: x }, 'sigmoid').data;
    });
    for (let i = 0; i < n; i++) expect(Math.abs(both[1][i] - both[0][i])).toBeLessThanOrEqual(1e-6 * Math.max(both[0][i], 1e-30) + 1e-37);
  });
});

describe("LeNet's 2×2/2 pooling takes its own WebAssembly path and agrees with TypeScript", () => {
  afterAll(() => void setKernelPath('wasm'));
  for (const mode of ['max', 'avg'] as const) {
    for (const shape of [[3, 6, 28, 28], [2, 4, 13, 11]]) {
      it(`${mode}, x ${shape.join('×')} (ties in the windows, odd maps leave a row and column out)`, () => {
        // Values on a coarse grid, so many windows hold ties: max must send the gradient to the first in reading order.
        const x = randomTensor(shape, 31);
        for (let i = 0; i < x.data.length; i++) x.data[i] = Math.round(x.data[i] * 2) / 2;
        const o = { mode, kernel: [2, 2] as [number, number], stride: [2, 2] as [number, number] };
        const both = (['ts', 'wasm'] as const).map((path) => {
          expect(setKernelPath(path)).toBe(path);
          const y = pool2d(x, o);
          return { y: y.data, gx: pool2dBackward(x, randomTensor([...y.shape], 32), o).data };
        });
        expectClose(both[1].y, both[0].y, 'output');
        expectClose(both[1].gx, both[0].gx, 'grad input');
      });
    }
  }
});
