// Every scene of the guide, run through the engine as the lab runs it: ConvLab's answer equals what the book prints.
import { describe, expect, it } from 'vitest';
import { runScene } from './run-scene';
import { CHAPTERS } from './chapters';
import { matrixProduct } from './matrix-product';
import { computedListing, NETWORK_CHAPTERS } from './networks';
import { agrees, formatPrinted } from './printed';
import type { GuideScene, SceneRun } from './scene';

/** The panel's own run of a scene (core's stack), so the test checks exactly what the panel shows. */
const run = (scene: GuideScene): SceneRun => {
  const result = runScene(scene);
  if (typeof result === 'string') throw new Error(result);
  return result;
};
const sceneChapters = CHAPTERS.flatMap((c) => ('scenes' in c ? [c] : []));

describe.each(sceneChapters.map((c) => [c.section, c.scenes] as const))('chapter %s', (_section, scenes) => {
  it.each(scenes.filter((s) => s.checks.length > 0).map((s) => [s.id, s] as const))('%s computes what the book prints', (_id, scene) => {
    const result = run(scene);
    for (const check of scene.checks) {
      const ours = check.ours(result);
      expect(ours && formatPrinted(ours)).toBe(formatPrinted(check.book));
      expect(agrees(check.book, ours)).toBe(true);
    }
  });
});

describe('what the book prints, exactly', () => {
  const scene = (id: string) => sceneChapters.flatMap((c) => c.scenes).find((s) => s.id === id)!;
  const printed = (id: string) => scene(id).checks.map((c) => formatPrinted(c.book));

  it('5.2: the four shapes and the two figures', () => {
    expect(['same3', 'same53', 'stride2', 'stride34'].flatMap(printed)).toEqual(['(8, 8)', '(8, 8)', '(4, 4)', '(2, 2)']);
    expect(printed('figStride')).toEqual(['0×0 + 0×1 + 1×2 + 2×3 = 8', '0×0 + 6×1 + 0×2 + 0×3 = 6']);
  });

  it('5.3: two input channels give [[56, 72], [104, 120]]; three output channels; the 1×1 product equals the convolution', () => {
    expect(printed('multiIn')).toEqual(['[[ 56.  72.]\n [104. 120.]]']);
    expect(printed('multiOut')[1]).toBe('[[[ 56.  72.]\n  [104. 120.]]\n\n [[ 76. 100.]\n  [148. 172.]]\n\n [[ 96. 128.]\n  [192. 224.]]]');
    const product = matrixProduct(run(scene('oneByOne')))!;
    expect(product.norm).toBeLessThan(1e-6);
    expect(product.product.length).toBe(2);
    expect(product.product[0].length).toBe(9);
  });

  it('5.4: every pooling output', () => {
    expect(['max2', 'avg2', 'pool3', 'pool3pad', 'pool23', 'poolChannels'].map((id) => printed(id).at(-1))).toEqual([
      '[[4. 5.]\n [7. 8.]]',
      '[[2. 3.]\n [5. 6.]]',
      '[[[[10.]]]]',
      '[[[[ 5.  7.]\n   [13. 15.]]]]',
      '[[[[ 0.  3.]\n   [ 8. 11.]\n   [12. 15.]]]]',
      '[[[[ 5.  7.]\n   [13. 15.]]\n\n  [[ 6.  8.]\n   [14. 16.]]]]',
    ]);
  });
});

describe('5.5–5.12: each network listing, inferred at the book input size, equals the printed one line by line', () => {
  it.each(NETWORK_CHAPTERS.filter((c) => c.printed).map((c) => [c.section, c] as const))('%s', (_section, chapter) => {
    expect(computedListing(chapter)).toEqual(chapter.printed);
  });

  it('5.10 and 5.12 print no listing; ConvLab still lists them', () => {
    for (const chapter of NETWORK_CHAPTERS.filter((c) => !c.printed)) expect(computedListing(chapter).length).toBeGreaterThan(3);
    expect(computedListing(NETWORK_CHAPTERS.find((c) => c.net === 'densenet')!).at(-1)).toBe('dense0 output shape:\t (1, 10)');
  });
});
