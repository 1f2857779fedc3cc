/** Section 5.3, multiple input and output channels, and the 1×1 convolution as a matrix product. */
import { mulberry32 } from '../../../electron/contract/core-exports';
import { imageFromPlanes, type ConvLayer } from '../document/document';
import { makeConv } from '../document/document';
import { matrixProduct } from './matrix-product';
import { text } from './printed';
import { kernelShape, lastOutput, type GuideScene } from './scene';

const I18N = 'guideChapters.scenes';

/** The book's X: two 3×3 channels, 0…8 and 1…9. */
const bookX = () => imageFromPlanes([
  [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
  [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
]);
/** The book's K: one kernel per input channel. */
const BOOK_K = [[[0, 1], [2, 3]], [[1, 2], [3, 4]]];

/** A convolution from explicit OIHW kernels. */
function convOf(kernels: readonly (readonly (readonly (readonly number[])[])[])[]): ConvLayer {
  const conv = makeConv(kernels[0][0], { outChannels: kernels.length, inChannels: kernels[0].length });
  conv.weight.set(kernels.flat(3));
  return conv;
}
const plus = (k: number[][][], d: number) => k.map((plane) => plane.map((row) => row.map((v) => v + d)));

/** nd.random.uniform(shape) for the 1×1 cell, seeded and rounded to three places so the product reads easily. */
function uniformPlanes(c: number, h: number, w: number, seed: number): number[][][] {
  const next = mulberry32(seed);
  return Array.from({ length: c }, () => Array.from({ length: h }, () => Array.from({ length: w }, () => Math.round(next() * 1000) / 1000)));
}

export const CHAPTER_5_3: readonly GuideScene[] = [
  {
    id: 'multiIn',
    i18n: `${I18N}.multiIn`,
    code: 'X = nd.array([[[0, 1, 2], [3, 4, 5], [6, 7, 8]],\n              [[1, 2, 3], [4, 5, 6], [7, 8, 9]]])\nK = nd.array([[[0, 1], [2, 3]], [[1, 2], [3, 4]]])\n\ncorr2d_multi_in(X, K)',
    build: () => ({ input: bookX(), layers: [convOf([BOOK_K])] }),
    checks: [lastOutput([[56, 72], [104, 120]])],
    probe: [1, 0, 0],
  },
  {
    id: 'multiOut',
    i18n: `${I18N}.multiOut`,
    code: 'K = nd.stack(K, K + 1, K + 2)\nK.shape\n\ncorr2d_multi_in_out(X, K)',
    build: () => ({ input: bookX(), layers: [convOf([BOOK_K, plus(BOOK_K, 1), plus(BOOK_K, 2)])] }),
    checks: [
      kernelShape('(3, 2, 2, 2)'),
      lastOutput([[[56, 72], [104, 120]], [[76, 100], [148, 172]], [[96, 128], [192, 224]]], 3),
    ],
  },
  {
    id: 'oneByOne',
    i18n: `${I18N}.oneByOne`,
    code: 'X = nd.random.uniform(shape=(3, 3, 3))\nK = nd.random.uniform(shape=(2, 3, 1, 1))\n\nY1 = corr2d_multi_in_out_1x1(X, K)\nY2 = corr2d_multi_in_out(X, K)\n\n(Y1 - Y2).norm().asscalar() < 1e-6',
    build: () => {
      const k = uniformPlanes(2, 3, 1, 11).map((o) => o.map((row) => [row]));
      return { input: imageFromPlanes(uniformPlanes(3, 3, 3, 5)), layers: [convOf(k)] };
    },
    checks: [
      {
        book: text('True'),
        ours: (run) => {
          const m = matrixProduct(run);
          return m ? text(m.norm < 1e-6 ? 'True' : 'False') : null;
        },
      },
    ],
    explain: 'matrixProduct',
  },
];
