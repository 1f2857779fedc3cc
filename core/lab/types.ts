/** The shapes the app's engine worker sends and receives: plain data, so they cross worker boundaries intact. */
import type { Pair } from '../geometry';

export type { Pair } from '../geometry';

/**
 * One layer of the lab's stack as the page sends it and lab files keep it: its settings with its weights inline.
 * Behind the lab's edge it is a layer of the table (as-net.ts: a LayerSpec, its weights Params by path). Conv
 * weights are OIHW; `flip` makes it a true convolution.
 */
export type LabLayer =
  | { kind: 'conv'; weight: { shape: [number, number, number, number]; data: Float32Array }; bias: Float32Array; stride: Pair; padding: Pair; dilation: Pair; flip: boolean }
  | { kind: 'pool'; mode: 'max' | 'avg'; kernel: Pair; stride: Pair; padding: Pair; countIncludePad: boolean }
  | { kind: 'act'; fn: 'relu' | 'sigmoid' | 'tanh' };

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
