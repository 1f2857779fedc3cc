/** dense: a fully connected layer, y = x·Wᵀ + b; an input of rank > 2 is flattened in C order first, as Gluon's Dense does. */
import { check } from '../errors';
import { nextField } from '../receptive-field';
import type { LeafKind } from './kind';
import { featuresOf, IDENTITY_STEP, intOf, shapeTuple, wholeAtLeast, wholeMap } from './rules';

export interface DenseSpec {
  type: 'dense';
  inFeatures: number;
  outFeatures: number;
}

/** A dense layer's spec. */
export const denseLayer = (inFeatures: number, outFeatures: number): DenseSpec => ({ type: 'dense', inFeatures, outFeatures });

export const denseKind: LeafKind<DenseSpec> = {
  type: 'dense',
  description: 'every output a weighted sum of every input, plus a bias',
  fromData(d, fail, keep) {
    keep('weight', 'bias');
    return { type: 'dense', inFeatures: intOf(d.in_features, 'in_features', fail), outFeatures: intOf(d.out_features, 'out_features', fail) };
  },
  infer(spec, st) {
    const s = st.shape;
    check(s.length === 2 || s.length === 4, 'shape', () => `dense needs an (N, F) or NCHW input, got ${shapeTuple(s)}`);
    wholeAtLeast(spec.inFeatures, 1, 'inFeatures');
    wholeAtLeast(spec.outFeatures, 1, 'outFeatures');
    const f = featuresOf(s);
    check(spec.inFeatures === f, 'shape', () => `dense expects ${spec.inFeatures} input features but its input ${shapeTuple(s)} flattens to ${f}`);
    // Every output reads every position of the last map: a window the size of that map.
    const field = nextField(st.field, { ...IDENTITY_STEP, kernel: st.grid });
    return { out: { shape: [s[0], spec.outFeatures], field, grid: [1, 1] }, parameters: f * spec.outFeatures + spec.outFeatures, macs: s[0] * f * spec.outFeatures };
  },
  params: (spec) => [
    { role: 'weight', shape: [spec.outFeatures, spec.inFeatures], trainable: true, fanIn: spec.inFeatures, fanOut: spec.outFeatures },
    { role: 'bias', shape: [spec.outFeatures], trainable: true },
  ],
  forward: (t, _spec, x, ctx) => t.dense(x.value.shape.length > 2 ? t.flatten(x) : x, ctx.param('weight'), ctx.param('bias')),
  reads: (_spec, box, grid) => wholeMap(box, grid),
  blockName: 'dense',
  keepsChannel: false,
  settings: (spec) => ({ features: spec.outFeatures }),
  text: (spec) => `dense ${spec.inFeatures}→${spec.outFeatures}`,
};
