/**
 * relu, sigmoid and tanh: three kinds of one family, each applied cell by cell, so one file makes all three rows
 * (they differ only in the function the tape's activation op applies). A sigmoid before a pooling runs fused with it.
 */
import type { ActivationFn } from '../ops/activation';
import { sizeOf } from '../tensor';
import type { LeafKind } from './kind';
import { sameBox } from './rules';

export interface ActivationSpec<F extends ActivationFn = ActivationFn> {
  type: F;
}

/** The activations, in the order messages list them. */
export const ACTIVATION_NAMES = ['relu', 'sigmoid', 'tanh'] as const satisfies readonly ActivationFn[];

/** An activation layer's spec. */
export const activationLayer = <F extends ActivationFn>(fn: F): ActivationSpec<F> => ({ type: fn });

const DESCRIPTIONS: Record<ActivationFn, string> = {
  relu: 'max(x, 0), cell by cell',
  sigmoid: '1 / (1 + e^−x), cell by cell',
  tanh: 'the hyperbolic tangent, cell by cell',
};

function activationKind<F extends ActivationFn>(fn: F): LeafKind<ActivationSpec<F>> {
  return {
    type: fn,
    description: DESCRIPTIONS[fn],
    fromData: () => ({ type: fn }),
    infer: (_spec, st) => ({ out: { ...st }, parameters: 0, macs: 0 }),
    // The budget prices an activation at one per value, as it does a pooling window's read.
    work: (_spec, facts) => sizeOf(facts.out.shape),
    forward: (t, _spec, x) => t.activation(x, fn),
    ...(fn === 'sigmoid' ? { fusedWithPool: (t, x, pool) => { const r = t.sigmoidPool(x, pool); return { output: r.output, first: r.sigmoid }; } } : {}),
    reads: sameBox,
    keepsChannel: true,
    joinsBlockBefore: true,
    settings: () => ({}),
    text: () => fn,
  };
}

export const reluKind = activationKind('relu');
export const sigmoidKind = activationKind('sigmoid');
export const tanhKind = activationKind('tanh');
