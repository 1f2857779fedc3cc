/** maxpool: the largest value of each window, per channel. */
import type { Pair } from '../geometry';
import type { LeafKind } from './kind';
import { inferPooling, poolingText, poolingWork } from './pooling';
import { windowOf, windowReads } from './rules';

export interface MaxPoolSpec {
  type: 'maxpool';
  kernel: Pair;
  stride: Pair;
  padding: Pair;
}

/** A max pooling's spec; padding 0 unless given. */
export const maxPoolLayer = (kernel: Pair, stride: Pair, padding: Pair = [0, 0]): MaxPoolSpec => ({ type: 'maxpool', kernel, stride, padding });

export const maxPoolKind: LeafKind<MaxPoolSpec> = {
  type: 'maxpool',
  description: 'the largest value of each window, per channel',
  fromData: (d, fail) => ({ type: 'maxpool', ...windowOf(d, fail) }),
  infer: (spec, st) => inferPooling('maxpool', spec, st),
  forward: (t, spec, x) => t.pool2d(x, maxPoolKind.poolOptions!(spec)),
  poolOptions: (spec) => ({ mode: 'max', kernel: spec.kernel, stride: spec.stride, padding: spec.padding }),
  work: poolingWork,
  reads: windowReads,
  blockName: 'pool',
  keepsChannel: true,
  settings: (spec) => ({ kernel: spec.kernel, stride: spec.stride, padding: spec.padding }),
  text: (spec) => poolingText('maxpool', spec),
};
