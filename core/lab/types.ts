/** The shapes the app's engine worker sends and receives: plain data, so they cross worker boundaries intact. */
import type { Pair } from '../geometry';
import type { ActivationSpec, AvgPoolSpec, Conv2dSpec, MaxPoolSpec } from '../layers';

export type { Pair } from '../geometry';

/**
 * One layer of the lab's stack as the page sends it and lab files keep it: a spec of the layer table (its `type` is
 * the table's kind: conv2d, maxpool, avgpool, relu, sigmoid, tanh) with the tensors the lab edits inline. The spec
 * and its tensors travel as one flat record because that is how the lab edits them: a kernel cell writes into the
 * weight in place, a brush stroke's request and a lab file carry each layer whole; a network keeps its parameters by
 * path instead (as-net.ts splits them there, once). Conv weights are OIHW and must match the spec's channels and
 * kernel; `flip` makes it a true convolution.
 */
export type LabConv = Conv2dSpec & {
  dilation: Pair;
  flip: boolean;
  weight: { shape: [number, number, number, number]; data: Float32Array };
  bias: Float32Array;
};
export type LabLayer = LabConv | MaxPoolSpec | AvgPoolSpec | ActivationSpec;

/** A feature map or image, NCHW with N = 1. */
export interface MapData {
  shape: [number, number, number, number];
  data: Float32Array;
}

/** Inclusive rectangle of cells; empty when bottom < top or right < left (the window reads only padding). */
export interface BoxData {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Receptive-field arithmetic after layers[0..layer], per axis [height, width] (Araujo et al., Distill 2019). */
export interface LayerField {
  layer: number;
  size: Pair;
  jump: Pair;
  start: Pair;
  center: Pair;
  effectivePadding: Pair;
}

/** What probeUnit answers. */
export interface ProbeResult {
  /** perLayer[i]: the field after layers[0..i], for i = 0..layer. */
  perLayer: LayerField[];
  /** boxes[0] in the input, boxes[i] in the output of layers[i − 1], i = 0..layer: walked and clipped. */
  boxes: BoxData[];
  /** The formula's box in the input, unclipped (may reach outside the image). */
  analyticBox: BoxData;
  /** d(unit)/d(input): the effective receptive field, same shape as the input. */
  gradient: MapData;
}

/** Settings of one kernel-learning run (d2l 5.1.4). */
export interface TrainSettings {
  x: MapData;
  y: MapData;
  kernel: Pair;
  /** Starting weights (kh·kw per input channel); without them, Uniform(−0.07, 0.07) from `seed`. */
  initWeight?: Float32Array;
  seed?: number;
  /** Starting bias (default 0, as Gluon's). */
  initBias?: number;
  learnBias: boolean;
  lr: number;
  iterations: number;
  flip: boolean;
  momentum?: number;
}

/** One iteration: the loss before its update (what the book prints), the weights after it. */
export interface TrainStep {
  iteration: number;
  loss: number;
  weight: Float32Array;
  bias: number;
  grad: Float32Array;
  biasGrad: number;
}

/** A kernel-learning run, advanced one iteration per step() so the worker can stream, pause and stop. */
export interface Trainer {
  step(): TrainStep;
  readonly iteration: number;
  lossAt(weight: Float32Array, bias: number): number;
}
