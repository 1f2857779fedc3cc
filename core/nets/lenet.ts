/**
 * The book's LeNet (d2l-zh v1, 5.5) and BN-LeNet (5.10) as NetSpecs, with the settings a learner may change:
 * activation, max or average pooling, the two conv widths. The defaults are the book's exactly (44,426 values).
 */
import { check } from '../errors';
import { activationLayer, avgPoolLayer, batchNormLayer, conv2dLayer, denseLayer, maxPoolLayer } from '../layers';
import type { ActivationName, LayerSpec, NetSpec } from './model';

export type PoolingName = 'max' | 'avg';

export interface LeNetOptions {
  activation: ActivationName;
  pooling: PoolingName;
  /** Output channels of the two convolutions (the book's 6 and 16). */
  channels: [number, number];
  /** 5.10's BatchNorm after each conv and hidden dense layer, before its activation. */
  batchNorm: boolean;
}

export const BOOK_LENET: LeNetOptions = { activation: 'sigmoid', pooling: 'max', channels: [6, 16], batchNorm: false };
export const BOOK_BN_LENET: LeNetOptions = { ...BOOK_LENET, batchNorm: true };

/** Most channels a LeNet conv may have here (ConvLab's conv limit). */
export const MAX_LENET_CHANNELS = 64;

/**
 * Conv(c1, 5×5) → act → pool 2/2 → Conv(c2, 5×5) → act → pool 2/2 → Dense 120 → act → Dense 84 → act → Dense 10,
 * for 28×28 one-channel inputs (no padding: conv0 gives 24×24, as the book prints).
 */
export function lenetSpec(options: Partial<LeNetOptions> = {}): NetSpec {
  const o = { ...BOOK_LENET, ...options };
  const [c1, c2] = o.channels;
  for (const c of o.channels) {
    check(Number.isInteger(c) && c >= 1 && c <= MAX_LENET_CHANNELS, 'range', () => `LeNet conv channels must be whole numbers from 1 to ${MAX_LENET_CHANNELS}, got ${c}`);
  }
  const act: LayerSpec = activationLayer(o.activation);
  const bn = (channels: number): LayerSpec[] => (o.batchNorm ? [batchNormLayer(channels)] : []);
  const pool: LayerSpec = o.pooling === 'max' ? maxPoolLayer([2, 2], [2, 2]) : avgPoolLayer([2, 2], [2, 2]);
  return [
    conv2dLayer(1, c1, [5, 5]), ...bn(c1), act, pool,
    conv2dLayer(c1, c2, [5, 5]), ...bn(c2), act, pool,
    denseLayer(c2 * 4 * 4, 120), ...bn(120), act,
    denseLayer(120, 84), ...bn(84), act,
    denseLayer(84, 10),
  ];
}
