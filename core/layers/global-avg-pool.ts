/** global_avg_pool: (N, C, H, W) → (N, C, 1, 1), each channel's mean. */
import { nextField } from '../receptive-field';
import type { LeafKind } from './kind';
import { IDENTITY_STEP, needMap, wholeMap } from './rules';

export interface GlobalAvgPoolSpec {
  type: 'global_avg_pool';
}

export const globalAvgPoolLayer = (): GlobalAvgPoolSpec => ({ type: 'global_avg_pool' });

/** A global average pooling as an architecture's block. */
export const globalAvgPoolBlock = (): { kind: GlobalAvgPoolSpec['type'] } => ({ kind: 'global_avg_pool' });

export const globalAvgPoolKind: LeafKind<GlobalAvgPoolSpec> = {
  type: 'global_avg_pool',
  description: 'each channel\'s mean over the whole map',
  fromData: () => ({ type: 'global_avg_pool' }),
  infer(_spec, st) {
    const s = st.shape;
    needMap(s, 'global_avg_pool');
    return { out: { shape: [s[0], s[1], 1, 1], field: nextField(st.field, { ...IDENTITY_STEP, kernel: [s[2], s[3]] }), grid: [1, 1] }, parameters: 0, macs: 0 };
  },
  forward: (t, _spec, x) => t.globalAvgPool(x),
  reads: (_spec, box, grid) => wholeMap(box, grid),
  keepsChannel: true,
  settings: () => ({}),
  text: () => 'global_avg_pool',
  // Gluon's GlobalAvgPool2D is a pooling layer, named pool0, pool1 … with the others.
  block: { prefix: 'pool', settings: [], read: () => ({}), expand: globalAvgPoolLayer },
};
