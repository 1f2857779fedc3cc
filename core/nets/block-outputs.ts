/**
 * One forward pass through a book network, keeping the output of every block (not of every layer: a ResNet-18 at
 * 224×224 would hold hundreds of megabytes), and the bounded slice of one block's output the page is shown.
 */
import { check } from '../errors';
import type { Tensor } from '../tensor';
import type { Params } from './model';
import type { Network } from './network';
import { predict } from './run';

/** Every block's output, in block order; blocks[i] ends at top-level layer first + count − 1. */
export function blockOutputs(net: Network, params: Params, x: Tensor): Tensor[] {
  const last = new Map(net.blocks.map((b, i) => [`${b.first + b.count - 1}`, i]));
  const outputs: Tensor[] = new Array<Tensor>(net.blocks.length);
  predict(net.spec, params, x, (path, _spec, output) => {
    const i = last.get(path);
    if (i !== undefined) outputs[i] = output;
  });
  return outputs;
}

/** The most channels of one block's output sent to the page at once (the lab's own map limit). */
export const MAX_VIEWED_CHANNELS = 64;

/** A slice of a block's output as NCHW maps (N = 1), copied so the cached output stays whole. */
export interface OutputSlice {
  /** [1, channels in the slice, h, w]; a vector (N, F) is laid out as one map of rows × columns. */
  shape: [1, number, number, number];
  data: Float32Array;
  /** The output's own shape. */
  full: number[];
  channelStart: number;
  /** Channels of the whole output (1 for a vector). */
  channels: number;
}

/** Columns for laying out F values without padding: the largest divisor of F up to 64 (4096 → 64 × 64, 10 → 1 × 10). */
export function vectorColumns(f: number): number {
  for (let c = Math.min(f, 64); c > 1; c--) if (f % c === 0) return c;
  return 1;
}

/** Channels [start, start + MAX_VIEWED_CHANNELS) of `t` (NCHW), or the whole vector of an (N, F) output. */
export function outputSlice(t: Tensor, channelStart: number): OutputSlice {
  const full = [...t.shape];
  if (full.length === 2) {
    const f = full[1], cols = vectorColumns(f);
    return { shape: [1, 1, f / cols, cols], data: t.data.slice(0, f), full, channelStart: 0, channels: 1 };
  }
  check(full.length === 4, 'shape', () => `a block's output must be (N, F) or NCHW, got (${full.join(', ')})`);
  const [, c, h, w] = full;
  check(Number.isInteger(channelStart) && channelStart >= 0 && channelStart < c, 'range',
    () => `channel ${channelStart + 1} does not exist: the output has ${c} channel${c === 1 ? '' : 's'}`);
  const n = Math.min(MAX_VIEWED_CHANNELS, c - channelStart);
  return { shape: [1, n, h, w], data: t.data.slice(channelStart * h * w, (channelStart + n) * h * w), full, channelStart, channels: c };
}
