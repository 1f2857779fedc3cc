import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../errors';
import { mulberry32 } from '../random';
import { dot, expectGradClose, numericGrad, randomTensor } from '../test-support/reference';
import type { Tensor } from '../tensor';
import { pool2d, pool2dBackward, type Pool2dOptions } from './pool2d';
import { onEachKernelPath } from '../test-support/kernel-paths';

const X3: Tensor = { shape: [1, 1, 3, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]) };
const X4: Tensor = { shape: [1, 1, 4, 4], data: Float32Array.from({ length: 16 }, (_, i) => i) };

onEachKernelPath(() => {
  describe('pooling, the book\'s 5.4 examples', () => {
    it('holds its doc comment: max 2×2 over 0..8 → [[4,5],[7,8]] (d2l 5.4.1)', () => {
      expect(Array.from(pool2d(X3, { mode: 'max', kernel: 2, stride: 1 }).data)).toEqual([4, 5, 7, 8]);
    });

    it('averages 2×2 windows: [[2,3],[5,6]]', () => {
      expect(Array.from(pool2d(X3, { mode: 'avg', kernel: 2, stride: 1 }).data)).toEqual([2, 3, 5, 6]);
    });

    it('strides by the kernel by default: MaxPool2D(3) on 4×4 → [[10]]', () => {
      const y = pool2d(X4, { mode: 'max', kernel: 3 });
      expect(y.shape).toEqual([1, 1, 1, 1]);
      expect(Array.from(y.data)).toEqual([10]);
    });

    it('pads and strides: MaxPool2D(3, padding=1, strides=2) → [[5,7],[13,15]]', () => {
      expect(Array.from(pool2d(X4, { mode: 'max', kernel: 3, padding: 1, stride: 2 }).data)).toEqual([5, 7, 13, 15]);
    });

    it('allows padding wider than half the kernel: MaxPool2D((2,3), padding=(1,2), strides=(2,3)) → [[0,3],[8,11],[12,15]]', () => {
      const y = pool2d(X4, { mode: 'max', kernel: [2, 3], padding: [1, 2], stride: [2, 3] });
      expect(y.shape).toEqual([1, 1, 3, 2]);
      expect(Array.from(y.data)).toEqual([0, 3, 8, 11, 12, 15]);
    });

    it('counts padded cells in average pooling by default, and not when asked', () => {
      const one: Tensor = { shape: [1, 1, 1, 1], data: Float32Array.of(4) };
      expect(Array.from(pool2d(one, { mode: 'avg', kernel: 2, stride: 1, padding: 1 }).data)).toEqual([1, 1, 1, 1]);
      expect(Array.from(pool2d(one, { mode: 'avg', kernel: 2, stride: 1, padding: 1, countIncludePad: false }).data)).toEqual([4, 4, 4, 4]);
    });

    it('routes the max gradient to the largest cell', () => {
      const g = pool2dBackward(X3, { shape: [1, 1, 2, 2], data: Float32Array.of(1, 1, 1, 1) }, { mode: 'max', kernel: 2, stride: 1 });
      expect(Array.from(g.data)).toEqual([0, 0, 0, 0, 1, 1, 0, 1, 1]);
    });
  });

  /** Values spaced well apart so a small nudge never changes which cell is the maximum. */
  function distinct(shape: number[], seed: number): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const order = Array.from({ length: n }, (_, i) => i);
    const r = mulberry32(seed);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return { shape, data: Float32Array.from(order, (v) => v * 0.1 - n * 0.05) };
  }

  describe('pool2d backward agrees with finite differences', () => {
    const r = mulberry32(5);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    for (let k = 0; k < 24; k++) {
      const kernel: [number, number] = [int(1, 4), int(1, 4)];
      const o: Pool2dOptions = {
        mode: k % 2 ? 'max' : 'avg', kernel, stride: [int(1, 3), int(1, 3)],
        padding: [int(0, kernel[0] - 1), int(0, kernel[1] - 1)], countIncludePad: k % 4 === 0,
      };
      const shape = [int(1, 2), int(1, 3), int(kernel[0], 8), int(kernel[1], 8)];
      it(`${o.mode} ${shape.join('×')} k ${o.kernel} s ${o.stride} p ${o.padding}${o.mode === 'avg' ? ` include pad ${o.countIncludePad}` : ''}`, () => {
        const x = distinct(shape, k);
        const y = pool2d(x, o);
        const w = randomTensor([...y.shape], k + 50);
        const f = () => dot(pool2d(x, o).data, w.data);
        expectGradClose(pool2dBackward(x, w, o).data, numericGrad(f, x.data, 1e-3), 'grad input');
      });
    }
  });

  describe('pool2d refuses bad settings', () => {
    const cases: [string, Pool2dOptions, string, string][] = [
      ['stride 0', { mode: 'max', kernel: 2, stride: 0 }, 'range', 'stride must be ≥ 1, got 0'],
      ['kernel 0', { mode: 'avg', kernel: [0, 2] }, 'range', 'kernel size must be ≥ 1, got 0'],
      ['padding as wide as the kernel', { mode: 'max', kernel: 2, padding: 2 }, 'range', 'pool padding 2 must be smaller than the kernel height 2, or a window would hold only padding'],
      ['kernel too big', { mode: 'max', kernel: 5 }, 'shape', 'pool kernel 5×5 is larger than the padded input 4×4'],
    ];
    for (const [name, o, code, message] of cases) {
      it(name, () => {
        try {
          pool2d(X4, o);
          expect.fail('no error');
        } catch (e) {
          expect(e).toBeInstanceOf(ConvLabError);
          expect([(e as ConvLabError).code, (e as ConvLabError).message]).toEqual([code, message]);
        }
      });
    }
  });
});
