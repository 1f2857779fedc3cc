/** dropout: inverted dropout in training (a seeded mask, survivors scaled by 1/(1 − rate)); the identity in prediction. */
import { check } from '../errors';
import type { LeafKind } from './kind';
import { numberOf, sameBox } from './rules';

export interface DropoutSpec {
  type: 'dropout';
  rate: number;
}

export const dropoutLayer = (rate: number): DropoutSpec => ({ type: 'dropout', rate });

/** A dropout as an architecture's block. */
export const dropoutBlock = (rate: number): { kind: DropoutSpec['type']; rate: number } => ({ kind: 'dropout', rate });

export const dropoutKind: LeafKind<DropoutSpec> = {
  type: 'dropout',
  description: 'zeroes each value with probability rate in training, scaling the rest; nothing in prediction',
  fromData: (d, fail) => ({ type: 'dropout', rate: numberOf(d.rate, 'rate', fail) }),
  infer(spec, st) {
    check(typeof spec.rate === 'number' && spec.rate >= 0 && spec.rate < 1, 'range', () => `dropout rate must be in [0, 1), got ${String(spec.rate)}`);
    return { out: { ...st }, parameters: 0, macs: 0 };
  },
  forward(t, spec, x, ctx) {
    if (ctx.mode === 'predict' || spec.rate === 0) return x;
    check(ctx.random !== undefined, 'range', () => `layer ${ctx.path} (dropout) needs a seeded random source in training`);
    return t.dropout(x, spec.rate, ctx.random);
  },
  reads: sameBox,
  keepsChannel: true,
  joinsBlockBefore: true,
  // Its masks come from one seeded stream in sample order: a slice would need to know how many draws the slices before it took.
  splitRefusal: 'dropout',
  settings: (spec) => ({ rate: spec.rate }),
  text: (spec) => `dropout ${spec.rate}`,
  block: {
    prefix: 'dropout',
    settings: ['rate'],
    read(d) {
      check(typeof d.rate === 'number' && d.rate >= 0 && d.rate < 1, 'range', () => `dropout rate must be in [0, 1), got ${JSON.stringify(d.rate)}`);
      return { rate: d.rate };
    },
    expand: (b) => dropoutLayer(b.rate as number),
  },
};
