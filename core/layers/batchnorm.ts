/** batchnorm: the book's 5.10 batch_norm, batch statistics in training and moving ones in prediction. */
import { check } from '../errors';
import type { LeafKind, ParamRole } from './kind';
import { intOf, numberOf, sameBox, shapeTuple, wholeAtLeast } from './rules';

export interface BatchNormSpec {
  type: 'batchnorm';
  channels: number;
  momentum: number;
  eps: number;
}

/** Gluon's BatchNorm and the book's scratch one agree on these. */
export const BOOK_BATCH_NORM = { momentum: 0.9, eps: 1e-5 } as const;

/** A batch norm's spec with the book's momentum and ε. */
export const batchNormLayer = (channels: number): BatchNormSpec => ({ type: 'batchnorm', channels, ...BOOK_BATCH_NORM });

/** A batch norm as an architecture's block: its channels are those of the input it meets. */
export const batchNormBlock = (): { kind: BatchNormSpec['type'] } => ({ kind: 'batchnorm' });

const ROLES: readonly ParamRole[] = ['gamma', 'beta', 'moving_mean', 'moving_var'];

export const batchNormKind: LeafKind<BatchNormSpec> = {
  type: 'batchnorm',
  description: 'each channel normalised by its batch statistics, then scaled by γ and shifted by β',
  fromData(d, fail, keep) {
    keep(...ROLES);
    return { type: 'batchnorm', channels: intOf(d.channels, 'channels', fail), momentum: numberOf(d.momentum, 'momentum', fail), eps: numberOf(d.eps, 'eps', fail) };
  },
  infer(spec, st) {
    const s = st.shape;
    check(s.length === 2 || s.length === 4, 'shape', () => `batchnorm needs an (N, F) or NCHW input, got ${shapeTuple(s)}`);
    wholeAtLeast(spec.channels, 1, 'channels');
    check(spec.channels === s[1], 'shape', () => `batchnorm has ${spec.channels} channels but its input ${shapeTuple(s)} has ${s[1]}`);
    return { out: { ...st }, parameters: 2 * spec.channels, macs: 0 };
  },
  params: (spec) => ROLES.map((role) => ({ role, shape: [spec.channels], trainable: role === 'gamma' || role === 'beta' })),
  forward: (t, spec, x, ctx) => t.batchNorm(x, ctx.param('gamma'), ctx.param('beta'), {
    mode: ctx.mode, eps: spec.eps, momentum: spec.momentum, updateMoving: ctx.updateMovingStats, exchange: ctx.batchStats,
    movingMean: ctx.state('moving_mean'), movingVar: ctx.state('moving_var'),
  }),
  reads: sameBox,
  keepsChannel: true,
  joinsBlockBefore: true,
  exchangedChannels: (spec) => spec.channels,
  settings: (spec) => ({ channels: spec.channels }),
  text: (spec) => `batchnorm ${spec.channels}`,
  block: { prefix: 'batchnorm', settings: [], read: () => ({}), expand: (_b, shape) => batchNormLayer(shape[1]) },
};
