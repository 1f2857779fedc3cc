/**
 * Grouped convolution (`groups` in conv2d's options, ONNX's and PyTorch's `group`): the input's channels and the
 * output's cut into `groups` equal runs, run g of the output reading only run g of the input with its own slice of
 * the weights (OIHW with I = Cin / groups). Depthwise convolution is groups = Cin. Each group is an ordinary conv2d
 * call on channel slices copied out and back, so every kernel and route serves grouped calls unchanged.
 */
import { check } from '../errors';
import type { Tensor } from '../tensor';
import type { Conv2dOptions, Conv2dParams } from './conv2d-geometry';

/** The group count `options` asks for: 1 when absent. Checks it is a whole number ≥ 1. */
export function groupsOf(options: Conv2dOptions | Conv2dParams): number {
  const g = (options as Conv2dOptions).groups;
  // The common case first: conv2d's smallest calls take well under a microsecond.
  if (g === undefined || g === 1) return 1;
  check(Number.isInteger(g) && g >= 1, 'range', () => `groups must be a whole number ≥ 1, got ${String(g)}`);
  return g;
}

/** Checks that `groups` divides both channel counts and that the weight's I is Cin / groups. */
export function checkGroups(groups: number, xShape: readonly number[], wShape: readonly number[]): void {
  const cin = xShape[1], cout = wShape[0];
  check(cin % groups === 0, 'shape', () => `groups ${groups} must divide the input's ${cin} channels`);
  check(cout % groups === 0, 'shape', () => `groups ${groups} must divide the weight's ${cout} output channels`);
  check(wShape[1] === cin / groups, 'shape',
    () => `with groups ${groups} the weight takes ${cin / groups} input channels (${cin} ÷ ${groups}), got ${wShape[1]}`);
}

/** Channels [c0, c0 + count) of every item of an N×C×… tensor, as a tensor of its own. */
export function channelSlice(t: Tensor, c0: number, count: number): Tensor {
  const [n, c] = t.shape, inner = t.data.length / (n * c);
  // One item's channels are one run of its data: a view, no copy (the kernels only read their inputs).
  if (n === 1) return { shape: [n, count, ...t.shape.slice(2)], data: t.data.subarray(c0 * inner, (c0 + count) * inner) };
  const data = new Float32Array(n * count * inner);
  for (let b = 0; b < n; b++) data.set(t.data.subarray((b * c + c0) * inner, (b * c + c0 + count) * inner), b * count * inner);
  return { shape: [n, count, ...t.shape.slice(2)], data };
}

/** Writes `part` (N×count×…) into channels [c0, c0 + count) of `into` (N×C×…, `channels` = C). */
export function channelPlace(into: Float32Array, channels: number, part: Tensor, c0: number): void {
  const [n, count] = part.shape, inner = part.data.length / (n * count);
  for (let b = 0; b < n; b++) into.set(part.data.subarray(b * count * inner, (b + 1) * count * inner), (b * channels + c0) * inner);
}

/** The weight's output channels [o0, o0 + count) (OIHW): group g's own kernels, a view of their contiguous rows. */
export function weightSlice(w: Tensor, o0: number, count: number): Tensor {
  const per = w.data.length / w.shape[0];
  return { shape: [count, ...w.shape.slice(1)], data: w.data.subarray(o0 * per, (o0 + count) * per) };
}
