/**
 * One image through a LeNet in predict mode, as the contract answers it: probabilities, ranking, the true class of a
 * test image, and the input and every layer's output. Shared by a run in progress and a net loaded from a lab.
 */
import type { LabelledImages } from '../../core/data/idx';
import type { NetSpec, Params } from '../../core/nets/model';
import { resizeBilinear } from '../../core/data/resize';
import { predictImage } from '../../core/nets/predict-image';
import type { NetPrediction } from '../contract/net-contract';

/** `side` is the image side the network reads: 28, or larger for a net whose images are enlarged (a scaled NiN). */
export function netPrediction(spec: NetSpec, params: Params, test: LabelledImages | null, image: { test: number } | { pixels: Float32Array }, side = 28): NetPrediction {
  let pixels: Float32Array;
  let label: number | null = null;
  if ('test' in image) {
    if (!test) throw Object.assign(new Error('the test images are not available: open the Dataset tab to find them'), { code: 'range' });
    if (image.test >= test.count) throw Object.assign(new Error(`test image ${image.test} is past the end of the test set (${test.count} images)`), { code: 'range' });
    const size = test.rows * test.cols;
    pixels = Float32Array.from(test.pixels.subarray(image.test * size, (image.test + 1) * size), (p) => p / 255);
    label = test.labels[image.test];
  } else pixels = image.pixels;
  if (side !== 28) {
    const enlarged = new Float32Array(side * side);
    resizeBilinear(pixels, 1, 28, side, enlarged);
    pixels = enlarged;
  }
  const p = predictImage(spec, params, pixels, side, side);
  return {
    probabilities: Array.from(p.probabilities),
    ranking: p.ranking,
    label,
    layers: [
      { path: 'input', type: 'input', shape: [1, 1, side, side], data: Float32Array.from(pixels) },
      ...p.layers.map((l) => ({ path: l.path, type: l.type, shape: [...l.output.shape], data: Float32Array.from(l.output.data) })),
    ],
  };
}
