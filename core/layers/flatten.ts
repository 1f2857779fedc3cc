/** flatten: (N, …) → (N, features) in C order. */
import { check } from '../errors';
import type { LeafKind } from './kind';
import { featuresOf, sameBox, shapeTuple } from './rules';

export interface FlattenSpec {
  type: 'flatten';
}

export const flattenLayer = (): FlattenSpec => ({ type: 'flatten' });

/** A flatten as an architecture's block. */
export const flattenBlock = (): { kind: FlattenSpec['type'] } => ({ kind: 'flatten' });

export const flattenKind: LeafKind<FlattenSpec> = {
  type: 'flatten',
  description: 'every sample\'s values in one row, in C order',
  fromData: () => ({ type: 'flatten' }),
  infer(_spec, st) {
    const s = st.shape;
    check(s.length >= 2, 'shape', () => `flatten needs a batch axis, got ${shapeTuple(s)}`);
    // The grid stays the flattened map's, so a dense layer after it still reads that whole map.
    return { out: { ...st, shape: [s[0], featuresOf(s)] }, parameters: 0, macs: 0 };
  },
  forward: (t, _spec, x) => t.flatten(x),
  reads: sameBox,
  keepsChannel: false,
  settings: () => ({}),
  text: () => 'flatten',
  block: { prefix: 'flatten', settings: [], read: () => ({}), expand: flattenLayer },
};
