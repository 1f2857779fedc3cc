/** Section 5.2, padding and stride: the four output shapes comp_conv2d prints, and the two figures' sums. */
import { imageFromRows, makeConv } from '../document/document';
import { inputPreset } from '../document/input-presets';
import { KERNEL_PRESETS } from '../document/kernel-presets';
import { mulberry32 } from '../../../electron/contract/core-exports';
import { cellSum, outputShape, type GuideScene, type SceneDoc } from './scene';

/** The book's X = nd.random.uniform(shape=(8, 8)), seeded so every run shows the same numbers. */
function uniformImage(seed: number) {
  const next = mulberry32(seed);
  return imageFromRows(Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => Math.round(next() * 1000) / 1000)));
}

/** A randomly initialised kernel (Gluon's Uniform(−0.07, 0.07)): the shape, not the values, is the lesson. */
function randomKernel(kh: number, kw: number, seed: number): number[][] {
  const next = mulberry32(seed);
  return Array.from({ length: kh }, () => Array.from({ length: kw }, () => Math.round((next() * 0.14 - 0.07) * 1000) / 1000));
}

const I18N = 'guideChapters.scenes';

function shapeScene(id: string, code: string, kernel: [number, number], padding: [number, number], stride: [number, number], printed: string): GuideScene {
  return {
    id,
    i18n: `${I18N}.${id}`,
    code: `${code}\ncomp_conv2d(conv2d, X).shape`,
    build: (): SceneDoc => ({ input: uniformImage(52), layers: [makeConv(randomKernel(kernel[0], kernel[1], 7), { padding, stride })] }),
    checks: [outputShape(printed)],
    explain: 'outputSize',
  };
}

export const CHAPTER_5_2: readonly GuideScene[] = [
  shapeScene('same3', 'conv2d = nn.Conv2D(1, kernel_size=3, padding=1)', [3, 3], [1, 1], [1, 1], '(8, 8)'),
  shapeScene('same53', 'conv2d = nn.Conv2D(1, kernel_size=(5, 3), padding=(2, 1))', [5, 3], [2, 1], [1, 1], '(8, 8)'),
  shapeScene('stride2', 'conv2d = nn.Conv2D(1, kernel_size=3, padding=1, strides=2)', [3, 3], [1, 1], [2, 2], '(4, 4)'),
  shapeScene('stride34', 'conv2d = nn.Conv2D(1, kernel_size=(3, 5), padding=(0, 1), strides=(3, 4))', [3, 5], [0, 1], [3, 4], '(2, 2)'),
  {
    id: 'figPad',
    i18n: `${I18N}.figPad`,
    build: () => ({ input: inputPreset('book3x3'), layers: [makeConv(KERNEL_PRESETS.book, { padding: [1, 1] })] }),
    checks: [cellSum('0×0 + 0×1 + 0×2 + 0×3 = 0', 0, 0)],
    probe: [1, 0, 0],
  },
  {
    id: 'figStride',
    i18n: `${I18N}.figStride`,
    build: () => ({ input: inputPreset('book3x3'), layers: [makeConv(KERNEL_PRESETS.book, { padding: [1, 1], stride: [3, 2] })] }),
    checks: [cellSum('0×0 + 0×1 + 1×2 + 2×3 = 8', 0, 1), cellSum('0×0 + 6×1 + 0×2 + 0×3 = 6', 1, 0)],
    probe: [1, 0, 1],
  },
];
