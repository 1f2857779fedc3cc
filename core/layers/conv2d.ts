/** conv2d: cross-correlation of an NCHW input with OIHW weights, plus a bias per output channel (no activation). */
import { check } from '../errors';
import { pairText, type Pair } from '../geometry';
import { nextField } from '../receptive-field';
import type { LeafKind } from './kind';
import { checkPair, checkWindow, intOf, needMap, shapeTuple, wholeAtLeast, windowOf, windowOutput, windowReads, windowStep, type WindowSettings } from './rules';

export interface Conv2dSpec {
  type: 'conv2d';
  inChannels: number;
  outChannels: number;
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  /** Gaps between taps (the lab's); [1, 1] when absent. */
  dilation?: Pair;
  /** A true convolution (the kernel flipped), as the lab may ask; cross-correlation when absent. */
  flip?: boolean;
}

const ONE: Pair = [1, 1];

/** The window a conv2d's taps span: d·(k − 1) + 1 per axis. */
function extentOf(spec: Conv2dSpec): WindowSettings {
  const d = spec.dilation ?? ONE;
  return { kernel: [d[0] * (spec.kernel[0] - 1) + 1, d[1] * (spec.kernel[1] - 1) + 1], stride: spec.stride, padding: spec.padding };
}

/** A conv2d layer's spec; stride 1 and padding 0 unless given. */
export function conv2dLayer(inChannels: number, outChannels: number, kernel: Pair, stride: Pair = [1, 1], padding: Pair = [0, 0]): Conv2dSpec {
  return { type: 'conv2d', inChannels, outChannels, kernel, stride, padding };
}

export const conv2dKind: LeafKind<Conv2dSpec> = {
  type: 'conv2d',
  description: 'cross-correlation with learned kernels, one bias per output channel',
  fromData(d, fail, keep) {
    keep('weight', 'bias');
    return { type: 'conv2d', inChannels: intOf(d.in_channels, 'in_channels', fail), outChannels: intOf(d.out_channels, 'out_channels', fail), ...windowOf(d, fail) };
  },
  infer(spec, st) {
    const s = st.shape;
    needMap(s, 'conv2d');
    wholeAtLeast(spec.inChannels, 1, 'inChannels');
    wholeAtLeast(spec.outChannels, 1, 'outChannels');
    checkWindow(spec);
    if (spec.dilation !== undefined) checkPair(spec.dilation, 1, 'dilation');
    check(spec.inChannels === s[1], 'shape', () => `conv2d expects ${spec.inChannels} input channels but its input ${shapeTuple(s)} has ${s[1]}`);
    const [oh, ow] = windowOutput(s, extentOf(spec), 'kernel');
    const k = spec.kernel[0] * spec.kernel[1];
    return {
      out: { shape: [s[0], spec.outChannels, oh, ow], field: nextField(st.field, { ...windowStep(spec), dilation: spec.dilation ?? ONE }), grid: [oh, ow] },
      parameters: spec.outChannels * spec.inChannels * k + spec.outChannels,
      macs: s[0] * spec.outChannels * oh * ow * spec.inChannels * k,
    };
  },
  params(spec) {
    const [kh, kw] = spec.kernel;
    return [
      { role: 'weight', shape: [spec.outChannels, spec.inChannels, kh, kw], trainable: true, fanIn: spec.inChannels * kh * kw, fanOut: spec.outChannels * kh * kw },
      { role: 'bias', shape: [spec.outChannels], trainable: true },
    ];
  },
  forward: (t, spec, x, ctx) => t.conv2d(x, ctx.param('weight'), ctx.param('bias'), { stride: spec.stride, padding: spec.padding, dilation: spec.dilation, flip: spec.flip }),
  reads: (spec, box, grid) => windowReads(extentOf(spec), box, grid),
  blockName: 'conv',
  keepsChannel: false,
  settings: (spec) => ({ channels: spec.outChannels, kernel: spec.kernel, stride: spec.stride, padding: spec.padding }),
  text: (spec) => `conv2d ${spec.inChannels}→${spec.outChannels} ${pairText(spec.kernel)} s${pairText(spec.stride)} p${pairText(spec.padding)}` +
    `${spec.dilation && (spec.dilation[0] > 1 || spec.dilation[1] > 1) ? ` d${pairText(spec.dilation)}` : ''}${spec.flip ? ' flipped' : ''}`,
};
