/** Section 5.4, pooling: every output the book prints, from the 3×3 examples to two channels. */
import { imageFromPlanes, makePool, type PoolLayer } from '../document/document';
import { inputPreset } from '../document/input-presets';
import type { Pair } from '../../../electron/contract/contract';
import { inputArray, lastOutput, type GuideScene } from './scene';

const I18N = 'guideChapters.scenes';

function pool(mode: 'max' | 'avg', kernel: Pair, stride: Pair, padding: Pair = [0, 0]): PoolLayer {
  return { ...makePool(mode), kernel, stride, padding };
}
/** nd.arange(16).reshape((1, 1, 4, 4)). */
const ARANGE = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]];
const arange = () => imageFromPlanes([ARANGE]);
const plusOne = ARANGE.map((row) => row.map((v) => v + 1));

export const CHAPTER_5_4: readonly GuideScene[] = [
  {
    id: 'max2',
    i18n: `${I18N}.max2`,
    code: 'X = nd.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])\npool2d(X, (2, 2))',
    build: () => ({ input: inputPreset('book3x3'), layers: [pool('max', [2, 2], [1, 1])] }),
    checks: [lastOutput([[4, 5], [7, 8]])],
    probe: [1, 0, 0],
  },
  {
    id: 'avg2',
    i18n: `${I18N}.avg2`,
    code: "pool2d(X, (2, 2), 'avg')",
    build: () => ({ input: inputPreset('book3x3'), layers: [pool('avg', [2, 2], [1, 1])] }),
    checks: [lastOutput([[2, 3], [5, 6]])],
  },
  {
    id: 'pool3',
    i18n: `${I18N}.pool3`,
    code: 'X = nd.arange(16).reshape((1, 1, 4, 4))\npool2d = nn.MaxPool2D(3)\npool2d(X)',
    build: () => ({ input: arange(), layers: [pool('max', [3, 3], [3, 3])] }),
    checks: [inputArray([[ARANGE]]), lastOutput([[[[10]]]], 4)],
  },
  {
    id: 'pool3pad',
    i18n: `${I18N}.pool3pad`,
    code: 'pool2d = nn.MaxPool2D(3, padding=1, strides=2)\npool2d(X)',
    build: () => ({ input: arange(), layers: [pool('max', [3, 3], [2, 2], [1, 1])] }),
    checks: [lastOutput([[[[5, 7], [13, 15]]]], 4)],
  },
  {
    id: 'pool23',
    i18n: `${I18N}.pool23`,
    code: 'pool2d = nn.MaxPool2D((2, 3), padding=(1, 2), strides=(2, 3))\npool2d(X)',
    build: () => ({ input: arange(), layers: [pool('max', [2, 3], [2, 3], [1, 2])] }),
    checks: [lastOutput([[[[0, 3], [8, 11], [12, 15]]]], 4)],
  },
  {
    id: 'poolChannels',
    i18n: `${I18N}.poolChannels`,
    code: 'X = nd.concat(X, X + 1, dim=1)\nX\n\npool2d = nn.MaxPool2D(3, padding=1, strides=2)\npool2d(X)',
    build: () => ({ input: imageFromPlanes([ARANGE, plusOne]), layers: [pool('max', [3, 3], [2, 2], [1, 1])] }),
    checks: [inputArray([[ARANGE, plusOne]]), lastOutput([[[[5, 7], [13, 15]], [[6, 8], [14, 16]]]], 4)],
  },
];
