/**
 * Section 5.3.3: a 1×1 convolution is a matrix product. X (c_i, h, w) reshaped to (c_i, h·w), K (c_o, c_i, 1, 1)
 * to (c_o, c_i), and Y = K·X reshaped to (c_o, h, w) — computed here by hand and set beside the engine's convolution.
 */
import type { SceneRun } from './scene';

export interface MatrixProduct {
  /** K as (c_o, c_i). */
  k: number[][];
  /** X as (c_i, h·w). */
  x: number[][];
  /** K·X, (c_o, h·w). */
  product: number[][];
  /** The engine's 1×1 convolution, reshaped to (c_o, h·w). */
  conv: number[][];
  /** ‖Y1 − Y2‖, the book's `(Y1 - Y2).norm()`. */
  norm: number;
}

export function matrixProduct(run: SceneRun): MatrixProduct | null {
  const layer = run.doc.layers[0];
  const out = run.outputs[0];
  if (!layer || layer.kind !== 'conv' || layer.kernelSize[0] !== 1 || layer.kernelSize[1] !== 1 || !out) return null;
  const { channels, height, width, data } = run.doc.input;
  const n = height * width;
  const rows = (flat: ArrayLike<number>, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => flat[i * c + j]));
  const k = rows(layer.weight, layer.outChannels, channels);
  const x = rows(data, channels, n);
  const product = k.map((kRow) => Array.from({ length: n }, (_, j) => kRow.reduce((sum, kv, i) => sum + kv * x[i][j], 0)));
  if (out.data.length !== layer.outChannels * n) return null;
  const conv = rows(out.data, layer.outChannels, n);
  const ours = product.flat();
  const norm = Math.sqrt(ours.reduce((sum, v, i) => sum + (v - out.data[i]) ** 2, 0));
  return { k, x, product, conv, norm };
}
