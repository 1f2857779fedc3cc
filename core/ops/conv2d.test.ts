import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../errors';
import { mulberry32 } from '../random';
import { dot, expectClose, expectGradClose, numericGrad, randomTensor } from '../test-support/reference';
import { naiveConv } from '../test-support/naive-conv';
import type { Tensor } from '../tensor';
import { conv2d, conv2dBackward, conv2dInputGrad, corr2d } from './conv2d';
import { onEachKernelPath } from '../test-support/kernel-paths';

/** The book's 6×8 image: ones with a black bar in columns 2..5 (d2l 5.1.3). */
const BARS = Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1]);
const EDGE = Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]);
const t4 = (rows: number[][]): Tensor => ({ shape: [1, 1, rows.length, rows[0].length], data: Float32Array.from(rows.flat()) });

onEachKernelPath(() => {
  describe('corr2d, as the book defines it', () => {
    it('holds its doc comment: corr2d(0..8 as 3×3, [[0,1],[2,3]]) → [[19,25],[37,43]] (d2l 5.1.1)', () => {
      expect(corr2d([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]])).toEqual([[19, 25], [37, 43]]);
    });

    it('finds the bar edges exactly, and nothing in the transposed image (d2l 5.1.3)', () => {
      expect(corr2d(BARS, [[1, -1]])).toEqual(EDGE);
      const T = BARS[0].map((_, c) => BARS.map((row) => row[c]));
      const Z = corr2d(T, [[1, -1]]);
      expect(Z.length).toBe(8);
      expect(Z.flat().every((v) => v === 0)).toBe(true);
    });

    it('refuses a kernel larger than the input', () => {
      expect(() => corr2d([[1, 2]], [[1], [2]])).toThrow('kernel 2×1 is larger than the input 1×2');
    });
  });

  describe('conv2d on the book\'s examples', () => {
    it('gives the edge map through the NCHW path', () => {
      const y = conv2d(t4(BARS), { shape: [1, 1, 1, 2], data: Float32Array.of(1, -1) });
      expect(y.shape).toEqual([1, 1, 6, 7]);
      expect(Array.from(y.data)).toEqual(EDGE.flat());
    });

    it('true convolution rotates the kernel: [[5,11],[23,29]] (d2l 5.1.5)', () => {
      const x = t4([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
      const y = conv2d(x, { shape: [1, 1, 2, 2], data: Float32Array.of(0, 1, 2, 3) }, null, { flip: true });
      expect(Array.from(y.data)).toEqual([5, 11, 23, 29]);
    });

    it('sums over input channels: [[56,72],[104,120]] (d2l 5.3.1)', () => {
      const x = { shape: [1, 2, 3, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9]) };
      const k = { shape: [1, 2, 2, 2], data: Float32Array.from([0, 1, 2, 3, 1, 2, 3, 4]) };
      expect(Array.from(conv2d(x, k).data)).toEqual([56, 72, 104, 120]);
    });

    it('uses the book\'s 5.2 stride (3,4) and padding (0,1) output size', () => {
      const y = conv2d(randomTensor([1, 1, 8, 8], 1), randomTensor([1, 1, 3, 5], 2), null, { stride: [3, 4], padding: [0, 1] });
      expect(y.shape).toEqual([1, 1, 2, 2]);
    });

    it('adds the bias to every cell, even where only padding is read', () => {
      const y = conv2d({ shape: [1, 1, 1, 1], data: Float32Array.of(3) }, { shape: [1, 1, 1, 1], data: Float32Array.of(2) }, Float32Array.of(0.5), { padding: 1 });
      expect(Array.from(y.data)).toEqual([0.5, 0.5, 0.5, 0.5, 6.5, 0.5, 0.5, 0.5, 0.5]);
    });
  });

  /** Random conv settings that fit: stride, padding, dilation per axis, non-square kernels. */
  function randomCase(seed: number, big = false) {
    const r = mulberry32(seed);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    for (;;) {
      const n = int(1, 2), cin = int(1, big ? 9 : 3), cout = int(1, big ? 11 : 3);
      const h = int(1, big ? 21 : 7), w = int(1, big ? 21 : 7), kh = int(1, 4), kw = int(1, 4);
      const stride: [number, number] = [int(1, 3), int(1, 3)], padding: [number, number] = [int(0, 2), int(0, 2)];
      const dilation: [number, number] = [int(1, 2), int(1, 2)];
      if (dilation[0] * (kh - 1) + 1 > h + 2 * padding[0] || dilation[1] * (kw - 1) + 1 > w + 2 * padding[1]) continue;
      return { x: [n, cin, h, w], w: [cout, cin, kh, kw], opts: { stride, padding, dilation, flip: r() < 0.3 } };
    }
  }

  describe('conv2d backward', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const c = randomCase(seed);
      const name = `x ${c.x.join('×')}, w ${c.w.join('×')}, s ${c.opts.stride}, p ${c.opts.padding}, d ${c.opts.dilation}${c.opts.flip ? ', flipped' : ''}`;
      it(`agrees with finite differences: ${name}`, () => {
        const x = randomTensor(c.x, seed * 7), w = randomTensor(c.w, seed * 7 + 1), b = randomTensor([c.w[0]], seed * 7 + 2).data;
        const y0 = conv2d(x, w, b, c.opts);
        const r = randomTensor([...y0.shape], seed * 7 + 3);
        const f = () => dot(conv2d(x, w, b, c.opts).data, r.data);
        const g = conv2dBackward(x, w, r, c.opts);
        expectGradClose(g.gradInput.data, numericGrad(f, x.data), 'grad input');
        expectGradClose(g.gradWeight.data, numericGrad(f, w.data), 'grad weight');
        expectGradClose(g.gradBias, numericGrad(f, b), 'grad bias');
      });
    }
  });

  describe('conv2d against its definition, larger random shapes', () => {
    for (let seed = 100; seed < 130; seed++) {
      const c = randomCase(seed, true);
      it(`x ${c.x.join('×')}, w ${c.w.join('×')}, s ${c.opts.stride}, p ${c.opts.padding}, d ${c.opts.dilation}${c.opts.flip ? ', flipped' : ''}`, () => {
        const x = randomTensor(c.x, seed), w = randomTensor(c.w, seed + 1), b = randomTensor([c.w[0]], seed + 2).data;
        const y = conv2d(x, w, b, c.opts);
        const gy = randomTensor([...y.shape], seed + 3);
        const want = naiveConv(x, w, b, gy, c.opts);
        expectClose(y, { shape: want.output.shape, data: Array.from(want.output.data) }, 'output');
        const g = conv2dBackward(x, w, gy, c.opts);
        expectClose(g.gradInput.data, want.gradInput, 'grad input');
        expectClose(g.gradWeight.data, want.gradWeight, 'grad weight');
        expectClose(g.gradBias, want.gradBias, 'grad bias');
      });
    }
  });

  describe('a result written into the array the caller gives', () => {
    for (const seed of [140, 141, 142, 143]) {
      const c = randomCase(seed, true);
      it(`x ${c.x.join('×')}, w ${c.w.join('×')}: forward and input gradient equal the plain calls, in the array given`, () => {
        const x = randomTensor(c.x, seed), w = randomTensor(c.w, seed + 1), b = randomTensor([c.w[0]], seed + 2).data;
        const y = conv2d(x, w, b, c.opts);
        // Filled with NaN first: every value must be overwritten.
        const into = new Float32Array(y.data.length + 2).fill(NaN).subarray(1, y.data.length + 1);
        const got = conv2d(x, w, b, c.opts, into);
        expect(got.data).toBe(into);
        expect(Array.from(into)).toEqual(Array.from(y.data));
        const gy = randomTensor([...y.shape], seed + 3);
        const gx = conv2dInputGrad(x.shape, w, gy, c.opts);
        const gxInto = new Float32Array(gx.data.length).fill(NaN);
        expect(conv2dInputGrad(x.shape, w, gy, c.opts, gxInto).data).toBe(gxInto);
        expect(Array.from(gxInto)).toEqual(Array.from(gx.data));
      });
    }

    it('an array of the wrong length is refused by name and left as it was', () => {
      const x = randomTensor([1, 1, 6, 8], 1), w = randomTensor([1, 1, 1, 2], 2);
      const into = new Float32Array(41).fill(7);
      expect(() => conv2d(x, w, null, {}, into)).toThrow(/takes 42 values but the array given for it holds 41/);
      expect(into.every((v) => v === 7)).toBe(true);
    });
  });

  describe('conv2d refuses bad settings with a message naming the value and the rule', () => {
    const x = randomTensor([1, 1, 6, 6], 1);
    const cases: [string, () => unknown, string, string][] = [
      ['dilated kernel too big', () => conv2d(x, randomTensor([1, 1, 5, 5], 2), null, { dilation: 2 }), 'shape', 'kernel 5×5 (9×9 with dilation 2) is larger than the padded input 6×6'],
      ['kernel too big', () => conv2d(x, randomTensor([1, 1, 7, 3], 2)), 'shape', 'kernel 7×3 is larger than the padded input 6×6'],
      ['stride 0', () => conv2d(x, randomTensor([1, 1, 2, 2], 2), null, { stride: 0 }), 'range', 'stride must be ≥ 1, got 0'],
      ['dilation 0', () => conv2d(x, randomTensor([1, 1, 2, 2], 2), null, { dilation: [1, 0] }), 'range', 'dilation must be ≥ 1, got 0'],
      ['negative padding', () => conv2d(x, randomTensor([1, 1, 2, 2], 2), null, { padding: -1 }), 'range', 'padding must be ≥ 0, got -1'],
      ['fractional stride', () => conv2d(x, randomTensor([1, 1, 2, 2], 2), null, { stride: 1.5 }), 'range', 'stride must be a whole number, got 1.5'],
      ['stride above limit', () => conv2d(x, randomTensor([1, 1, 2, 2], 2), null, { stride: 9 }), 'limit', 'stride 9 is above the limit of 8'],
      ['channel mismatch', () => conv2d(x, randomTensor([1, 2, 2, 2], 2)), 'shape', 'weight expects 2 input channels but the input has 1'],
      ['bias length', () => conv2d(x, randomTensor([3, 1, 2, 2], 2), new Float32Array(2)), 'shape', 'bias has 2 values but the weight has 3 output channels'],
      ['rank', () => conv2d({ shape: [6, 6], data: new Float32Array(36) }, randomTensor([1, 1, 2, 2], 2)), 'shape', 'input must be NCHW (rank 4), got shape 6×6'],
      ['kernel above limit', () => conv2d(randomTensor([1, 1, 20, 20], 1), randomTensor([1, 1, 12, 12], 2)), 'limit', 'kernel 12×12 is above the limit of 11×11'],
    ];
    for (const [name, run, code, message] of cases) {
      it(name, () => {
        try {
          run();
          expect.fail('no error');
        } catch (e) {
          expect(e).toBeInstanceOf(ConvLabError);
          expect((e as ConvLabError).code).toBe(code);
          expect((e as ConvLabError).message).toBe(message);
        }
      });
    }

    it('refuses NaN in the input, naming its index', () => {
      const bad = randomTensor([1, 1, 6, 6], 1);
      bad.data[17] = NaN;
      expect(() => conv2d(bad, randomTensor([1, 1, 2, 2], 2))).toThrow('input contains NaN at index 17');
    });

    // Large enough for the WebAssembly path, which scans its copy of the input sixteen values a step and the rest
    // one by one: a culprit in a block, in the last block, and in the ragged tail.
    for (const [at, value, word] of [[0, NaN, 'NaN'], [3007, Infinity, 'Infinity'], [4095, -Infinity, '-Infinity'], [4097, NaN, 'NaN']] as const) {
      it(`refuses ${word} at index ${at} of a 2×8×16×16 input, naming it`, () => {
        const bad = randomTensor([2, 8, 16, 16], 3);
        const data = new Float32Array(bad.data.length + 3);
        data.set(bad.data);
        const input = { shape: [2, 8, 16, 16], data: data.subarray(0, 4096) };
        if (at < 4096) input.data[at] = value;
        else data[at] = value;
        const w = randomTensor([8, 8, 3, 3], 4);
        if (at < 4096) expect(() => conv2d(input, w, null, { padding: 1 })).toThrow(`input contains ${word} at index ${at}`);
        // A value past the input's end is not the input's.
        else expect(conv2d(input, w, null, { padding: 1 }).shape).toEqual([2, 8, 16, 16]);
      });
    }
  });
});
