/**
 * The "Chapter 5.1" guide: one scene per code cell of the book's section, each with the book's exact inputs and,
 * where the book prints one, the array it prints, so the lab can show both side by side.
 */
import { makeConv, type LabDocument } from '../document/document';
import { inputPreset } from '../document/input-presets';
import { KERNEL_PRESETS } from '../document/kernel-presets';
import { defaultTraining } from '../training/training-doc';
import { lastOutput, type GuideScene } from './scene';

type SceneId = 'corr2d' | 'layer' | 'edges' | 'transposed' | 'learning' | 'flipped' | 'field';

/** A 5.1 scene: where the book prints, it prints the last layer's first channel. */
interface Scene {
  id: SceneId;
  build: GuideScene['build'];
  printed?: number[][];
  probe?: [number, number, number];
  training?: boolean;
}

const EDGE_MAP = Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]);

const SCENES_5_1: readonly Scene[] = [
  {
    id: 'corr2d',
    build: () => ({ input: inputPreset('book3x3'), layers: [makeConv(KERNEL_PRESETS.book)] }),
    printed: [
      [19, 25],
      [37, 43],
    ],
  },
  {
    id: 'layer',
    build: () => {
      const conv = makeConv(KERNEL_PRESETS.book);
      conv.bias[0] = 1;
      return { input: inputPreset('book3x3'), layers: [conv] };
    },
  },
  {
    id: 'edges',
    build: () => ({ input: inputPreset('bars'), layers: [makeConv(KERNEL_PRESETS.edge)] }),
    printed: EDGE_MAP,
  },
  {
    id: 'transposed',
    build: () => ({ input: inputPreset('barsTransposed'), layers: [makeConv(KERNEL_PRESETS.edge)] }),
    printed: Array.from({ length: 8 }, () => [0, 0, 0, 0, 0]),
  },
  {
    id: 'learning',
    build: () => ({ input: inputPreset('bars'), layers: [makeConv(KERNEL_PRESETS.edge)] }),
    training: true,
  },
  {
    id: 'flipped',
    build: () => ({ input: inputPreset('book3x3'), layers: [makeConv(KERNEL_PRESETS.book, { flip: true })] }),
    printed: [
      [5, 11],
      [23, 29],
    ],
  },
  {
    id: 'field',
    build: () => ({
      input: inputPreset('twoByTwoStack'),
      layers: [makeConv(KERNEL_PRESETS.ones2x2), makeConv(KERNEL_PRESETS.ones2x2)],
    }),
    probe: [2, 0, 0],
  },
];

export const SCENES: readonly GuideScene[] = SCENES_5_1.map(({ printed, ...scene }) => ({
  ...scene,
  i18n: `guide.scenes.${scene.id}`,
  checks: printed ? [lastOutput(printed)] : [],
}));

/** What a new lab shows: a drawing to paint on, and an edge filter to watch it. */
export function defaultDocument(): LabDocument {
  return { input: inputPreset('digit'), layers: [makeConv(KERNEL_PRESETS.sobelX)], training: defaultTraining() };
}
