/**
 * A network is data: a list of layers run in order, where a residual or a concat nests layer lists. This is the
 * model format of reference-2's `training` cases, with settings and no tensors; parameters live beside it, keyed
 * by path, so one spec serves shape inference, the explorer's tables, training and saved labs alike.
 */
import type { Pair } from '../geometry';
import type { Tensor } from '../tensor';

export type ActivationName = 'sigmoid' | 'relu' | 'tanh';

export type LayerSpec =
  | { type: 'conv2d'; inChannels: number; outChannels: number; kernel: Pair; stride: Pair; padding: Pair }
  /** Flattens an input of rank > 2 in C order first, as Gluon's Dense does. */
  | { type: 'dense'; inFeatures: number; outFeatures: number }
  | { type: 'maxpool'; kernel: Pair; stride: Pair; padding: Pair }
  /** countIncludePad true divides by kh·kw (MXNet's default, the book's). */
  | { type: 'avgpool'; kernel: Pair; stride: Pair; padding: Pair; countIncludePad: boolean }
  | { type: ActivationName }
  | { type: 'flatten' }
  /** The book's 5.10 batch_norm: batch statistics in training, moving ones in prediction. */
  | { type: 'batchnorm'; channels: number; momentum: number; eps: number }
  /** Identity in prediction. */
  | { type: 'dropout'; rate: number }
  | { type: 'global_avg_pool' }
  /** relu(body(x) + shortcut(x)); an empty shortcut is the identity. */
  | { type: 'residual'; body: LayerSpec[]; shortcut: LayerSpec[] }
  /** Every branch reads x; outputs are joined along channels in branch order. */
  | { type: 'concat'; branches: LayerSpec[][] };

export type NetSpec = readonly LayerSpec[];

/**
 * Parameter tensors keyed by path, in model order (depth first, a residual's body before its shortcut):
 * "0.weight", "1.gamma", "1.moving_mean", "3.body.0.weight", "3.shortcut.0.bias", "2.branches.1.0.weight".
 */
export type Params = Map<string, Tensor>;
