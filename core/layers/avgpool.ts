/** avgpool: the mean of each window, per channel. */
import type { Pair } from '../geometry';
import type { LeafKind } from './kind';
import { inferPooling, poolingText, poolingWork } from './pooling';
import { windowOf, windowReads } from './rules';

export interface AvgPoolSpec {
  type: 'avgpool';
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  /** True divides by kh·kw, padded cells included (MXNet's default, the book's). */
  countIncludePad: boolean;
}

/** An average pooling's spec, counting padded cells as the book does. */
export const avgPoolLayer = (kernel: Pair, stride: Pair, padding: Pair = [0, 0], countIncludePad = true): AvgPoolSpec =>
  ({ type: 'avgpool', kernel, stride, padding, countIncludePad });

export const avgPoolKind: LeafKind<AvgPoolSpec> = {
  type: 'avgpool',
  description: 'the mean of each window, per channel',
  fromData: (d, fail) => ({ type: 'avgpool', ...windowOf(d, fail), countIncludePad: d.count_include_pad !== false }),
  infer: (spec, st) => inferPooling('avgpool', spec, st),
  forward: (t, spec, x) => t.pool2d(x, avgPoolKind.poolOptions!(spec)),
  poolOptions: (spec) => ({ mode: 'avg', kernel: spec.kernel, stride: spec.stride, padding: spec.padding, countIncludePad: spec.countIncludePad }),
  work: poolingWork,
  reads: windowReads,
  blockName: 'pool',
  keepsChannel: true,
  settings: (spec) => ({ kernel: spec.kernel, stride: spec.stride, padding: spec.padding }),
  text: (spec) => poolingText('avgpool', spec),
};
