/**
 * The output-size formula of a layer, per axis, with the numbers the user set, so the lab can write it out and refuse
 * a setting that would leave an empty map before asking the engine.
 */
import type { Layer } from '../document/document';

export interface AxisSize {
  /** Input size on this axis. */
  n: number;
  k: number;
  p: number;
  s: number;
  d: number;
  out: number;
}

export function layerAxisSizes(layer: Layer, height: number, width: number): [AxisSize, AxisSize] {
  if (layer.kind === 'act') {
    return [
      { n: height, k: 1, p: 0, s: 1, d: 1, out: height },
      { n: width, k: 1, p: 0, s: 1, d: 1, out: width },
    ];
  }
  const kernel = layer.kind === 'conv' ? layer.kernelSize : layer.kernel;
  const dilation = layer.kind === 'conv' ? layer.dilation : [1, 1];
  const axis = (a: 0 | 1, n: number): AxisSize => {
    const k = kernel[a];
    const p = layer.padding[a];
    const s = layer.stride[a];
    const d = dilation[a];
    return { n, k, p, s, d, out: Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1 };
  };
  return [axis(0, height), axis(1, width)];
}
