/**
 * One image through a LeNet in predict mode, as the contract answers it: probabilities, ranking, the true class of a
 * test image, and the input and every layer's output. Shared by a run in progress and a net loaded from a lab.
 */
import type { LabelledImages } from '../../core/data/idx';
import type { NetSpec, Params } from '../../core/nets/model';
import { resizeBilinear } from '../../core/data/resize';
import { predictImage } from '../../core/nets/predict-image';
import type { NetPrediction } from '../contract/net-contract';

/** The image a request names, as the net reads it (÷255 for a test image), with its true class when it has one. */
export function imagePixels(test: LabelledImages | null, image: { test: number } | { pixels: Float32Array }): { pixels: Float32Array; label: number | null } {
  if (!('test' in image)) return { pixels: image.pixels, label: null };
  if (!test) throw Object.assign(new Error('the test images are not available: open the Dataset tab to find them'), { code: 'range' });
  if (image.test >= test.count) throw Object.assign(new Error(`test image ${image.test} is past the end of the test set (${test.count} images)`), { code: 'range' });
  const size = test.rows * test.cols;
  const pixels = Float32Array.from(test.pixels.subarray(image.test * size, (image.test + 1) * size), (p) => p / 255);
  return { pixels, label: test.labels[image.test] };
}

/** A 28×28 image at the side the network reads: itself, or enlarged for a net that needs more (a scaled NiN). */
export function atSide(pixels: Float32Array, side: number): Float32Array {
  return side === 28 ? pixels : resizeBilinear(pixels, 1, 28, side, new Float32Array(side * side));
}

/** `side` is the image side the network reads: 28, or larger for a net whose images are enlarged. */
export function netPrediction(spec: NetSpec, params: Params, test: LabelledImages | null, image: { test: number } | { pixels: Float32Array }, side = 28): NetPrediction {
  const { label, pixels: read } = imagePixels(test, image);
  const pixels = atSide(read, side);
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
