/** Element-wise activations (ReLU, sigmoid, tanh): forward and backward side by side. */
import type { Tensor } from '../tensor';
import { sigmoidWasm } from './activation-wasm';
import { wasmKernels } from './wasm/kernels';
import { floats } from './floats';

/** From this many values the copy into WebAssembly memory costs less than the scalar exps it saves. */
const WASM_SIGMOID = 256;

export type ActivationFn = 'relu' | 'sigmoid' | 'tanh';

/** The list the app and the validators accept. */
export const ACTIVATIONS: readonly ActivationFn[] = ['relu', 'sigmoid', 'tanh'];

/** σ(x) without overflow: exp only ever sees −|x|, so no intermediate is infinite (float32 exp overflows at 88.7). */
export function sigmoid(x: number): number {
  // e = exp(−|x|): 1/(1 + exp(−x)) for x ≥ 0 and exp(x)/(1 + exp(x)) for x < 0, chosen without a branch on the
  // sign (a mispredicted branch per value cost more than the exp).
  const e = Math.exp(-Math.abs(x)), r = 1 / (1 + e);
  return x >= 0 ? r : e * r;
}

/** Applies `fn` to every value. */
export function activation(x: Tensor, fn: ActivationFn): Tensor {
  const xd = x.data, y = floats(xd.length);
  if (fn === 'relu') for (let i = 0; i < xd.length; i++) y[i] = xd[i] > 0 ? xd[i] : 0;
  else if (fn === 'sigmoid') {
    const k = xd.length >= WASM_SIGMOID ? wasmKernels() : null;
    if (k !== null) sigmoidWasm(k, xd, y);
    else for (let i = 0; i < xd.length; i++) y[i] = sigmoid(xd[i]);
  }
  else for (let i = 0; i < xd.length; i++) y[i] = Math.tanh(xd[i]);
  return { shape: [...x.shape], data: y };
}

/**
 * Backward of `fn`, from its input `x` and output `y`: relu' = [x > 0] (0 at 0, as PyTorch),
 * sigmoid' = y(1 − y), tanh' = 1 − y².
 */
export function activationBackward(x: Tensor, y: Tensor, gradOutput: Tensor, fn: ActivationFn): Tensor {
  const xd = x.data, yd = y.data, g = gradOutput.data, gx = floats(xd.length);
  if (fn === 'relu') for (let i = 0; i < xd.length; i++) gx[i] = xd[i] > 0 ? g[i] : 0;
  else if (fn === 'sigmoid') for (let i = 0; i < xd.length; i++) gx[i] = g[i] * yd[i] * (1 - yd[i]);
  else for (let i = 0; i < xd.length; i++) gx[i] = g[i] * (1 - yd[i] * yd[i]);
  return { shape: [...x.shape], data: gx };
}
