/** One image through a trained network in predict mode: class probabilities and every layer's output (feature maps). */
import { check } from '../errors';
import { shapeText, type Tensor } from '../tensor';
import type { LayerSpec, NetSpec, Params } from './model';
import { predict } from './run';

export interface LayerOutput {
  /** "0", "1", … (nested layers: "3.body.0"). */
  path: string;
  type: LayerSpec['type'];
  /** The layer's output for the one image, batch axis included: (1, C, H, W) or (1, F). */
  output: Tensor;
}

export interface ImagePrediction {
  /** softmax of the logits, one per class. */
  probabilities: Float32Array;
  /** Classes by falling probability. */
  ranking: number[];
  layers: LayerOutput[];
}

/** softmax of one row of logits (max subtracted, so no overflow). */
export function softmax(logits: ArrayLike<number>): Float32Array {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  let s = 0;
  const p = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) s += Math.exp(logits[i] - m);
  for (let i = 0; i < logits.length; i++) p[i] = Math.exp(logits[i] - m) / s;
  return p;
}

/**
 * Classifies one H×W grey image (values in [0, 1], row-major; a drawing or a test image ÷ 255) and keeps each
 * layer's output, so the UI can show the feature maps of every layer.
 */
export function predictImage(spec: NetSpec, params: Params, image: Float32Array, height = 28, width = 28): ImagePrediction {
  check(image.length === height * width, 'shape', () => `the image has ${image.length} values but ${height}×${width} needs ${height * width}`);
  const layers: LayerOutput[] = [];
  const out = predict(spec, params, { shape: [1, 1, height, width], data: image }, (path, l, output) => layers.push({ path, type: l.type, output }));
  check(out.shape.length === 2 && out.shape[0] === 1, 'shape', () => `the network's output must be 1×classes, got ${shapeText(out.shape)}`);
  const probabilities = softmax(out.data);
  const ranking = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
  return { probabilities, ranking, layers };
}
