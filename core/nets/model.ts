/**
 * A network is data: a list of layers run in order, where a residual or a concat nests layer lists. This is the
 * model format of reference-2's `training` cases, with settings and no tensors; parameters live beside it, keyed
 * by path, so one spec serves shape inference, the explorer's tables, training and saved labs alike.
 */
import type { LayerSpec } from '../layers/table';
import type { Tensor } from '../tensor';

export type ActivationName = 'sigmoid' | 'relu' | 'tanh';

/** One layer: the table's vocabulary (core/layers), shared with the lab's stack. */
export type { LayerSpec } from '../layers/table';

export type NetSpec = readonly LayerSpec[];

/**
 * Parameter tensors keyed by path, in model order (depth first, a residual's body before its shortcut):
 * "0.weight", "1.gamma", "1.moving_mean", "3.body.0.weight", "3.shortcut.0.bias", "2.branches.1.0.weight".
 */
export type Params = Map<string, Tensor>;
