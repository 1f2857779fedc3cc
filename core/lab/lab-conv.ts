/** A lab convolution built from its weights, its channels and kernel read off their shape. */
import type { Pair } from '../geometry';
import type { LabConv } from './types';

/** Settings of a lab convolution besides its weights; stride 1, no padding, no dilation, no flip unless given. */
export interface LabConvSettings {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  flip?: boolean;
}

/** The lab layer convolving with `weight` (OIHW) and `bias`: its spec's channels and kernel are the weight's shape. */
export function labConv(weight: LabConv['weight'], bias: Float32Array, o: LabConvSettings = {}): LabConv {
  const [outChannels, inChannels, kh, kw] = weight.shape;
  return {
    type: 'conv2d', inChannels, outChannels, kernel: [kh, kw], weight, bias,
    stride: o.stride ?? [1, 1], padding: o.padding ?? [0, 0], dilation: o.dilation ?? [1, 1], flip: o.flip ?? false,
  };
}
