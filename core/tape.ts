/**
 * A small tape: each op appends { op, inputs, output }; backward walks the entries in reverse and looks up one
 * rule per op in RULES, so gradients reach every parameter and the input. A new op is a file and a row.
 */
import { activation, activationBackward, type ActivationFn } from './ops/activation';
import { batchNorm, batchNormBackward, updateMovingStats, type BatchNormMode, type BatchNormSaved, type BatchStatsExchange } from './ops/batchnorm';
import { conv2d, conv2dInputGrad, conv2dParams, conv2dWeightGrad, type Conv2dOptions, type Conv2dParams } from './ops/conv2d';
import { dense, denseBackward, flatten, flattenBackward } from './ops/dense';
import { dropout, dropoutBackward } from './ops/dropout';
import { globalAvgPool, globalAvgPoolBackward } from './ops/global-avg-pool';
import { addTensors, addTensorsBackward, concatChannels, concatChannelsBackward } from './ops/join';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward, squaredLoss, squaredLossBackward } from './ops/loss';
import { pool2d, pool2dBackward, pool2dParams, type Pool2dOptions, type Pool2dParams } from './ops/pool2d';
import { sigmoidPool, sigmoidPoolBackward } from './ops/sigmoid-pool';
import { sizeOf, type Tensor } from './tensor';

/** A value on the tape; `grad` is filled by backward when `requiresGrad`. */
export interface Var {
  readonly value: Tensor;
  grad: Tensor | null;
  readonly requiresGrad: boolean;
}

type Maybe = Var | null;

/** One recorded op. */
export type Entry =
  | { op: 'conv2d'; inputs: [Var, Var, Maybe]; output: Var; params: Conv2dParams }
  | { op: 'pool2d'; inputs: [Var]; output: Var; params: Pool2dParams }
  | { op: 'activation'; inputs: [Var]; output: Var; fn: ActivationFn }
  /** A sigmoid straight into pooling, as one op; `y` is the sigmoid's output (pooling's backward reads it). */
  | { op: 'sigmoidPool'; inputs: [Var]; output: Var; params: Pool2dParams; y: Tensor }
  | { op: 'flatten'; inputs: [Var]; output: Var }
  | { op: 'dense'; inputs: [Var, Var, Maybe]; output: Var }
  | { op: 'squaredLoss'; inputs: [Var, Var]; output: Var }
  | { op: 'softmaxCrossEntropy'; inputs: [Var]; output: Var; labels: Int32Array }
  | { op: 'batchNorm'; inputs: [Var, Var, Var]; output: Var; saved: BatchNormSaved }
  | { op: 'dropout'; inputs: [Var]; output: Var; mask: Float32Array }
  | { op: 'concat'; inputs: Var[]; output: Var }
  | { op: 'add'; inputs: Var[]; output: Var }
  | { op: 'globalAvgPool'; inputs: [Var]; output: Var };

/** Batch-norm settings for one call; the moving statistics are plain arrays, updated in place when `updateMoving`. */
export interface BatchNormCall {
  mode: BatchNormMode;
  eps: number;
  momentum: number;
  movingMean: Float32Array;
  movingVar: Float32Array;
  /** Train mode only: fold this batch's statistics into the moving ones (default true). */
  updateMoving?: boolean;
  /** Train mode, a slice of a batch split over threads: where the whole batch's sums come from (default: this thread's). */
  exchange?: BatchStatsExchange;
}

type Rule<E extends Entry> = (e: E, g: Tensor) => (Tensor | null)[];

const vec = (a: Float32Array): Tensor => ({ shape: [a.length], data: a });
const wants = (v: Maybe): boolean => v !== null && v.requiresGrad;

/** Backward rules, one row per op: given the entry and d(out), the gradients of its inputs (in order). */
export const RULES: { [K in Entry['op']]: Rule<Extract<Entry, { op: K }>> } = {
  conv2d: ({ inputs: [x, w, b], params }, g) => {
    const wg = wants(w) || wants(b) ? conv2dWeightGrad(x.value, g, w.value.shape, params) : null;
    return [wants(x) ? conv2dInputGrad(x.value.shape, w.value, g, params) : null, wg?.gradWeight ?? null, wg ? vec(wg.gradBias) : null];
  },
  pool2d: ({ inputs: [x], params }, g) => [pool2dBackward(x.value, g, params)],
  activation: ({ inputs: [x], output, fn }, g) => [activationBackward(x.value, output.value, g, fn)],
  sigmoidPool: ({ inputs: [x], params, y }, g) => [sigmoidPoolBackward(x.value, y, g, params)],
  flatten: ({ inputs: [x] }, g) => [flattenBackward(x.value, g)],
  dense: ({ inputs: [x, w] }, g) => {
    const r = denseBackward(x.value, w.value, g);
    return [r.gradInput, r.gradWeight, vec(r.gradBias)];
  },
  squaredLoss: ({ inputs: [yHat, y] }, g) => [squaredLossBackward(yHat.value, y.value, g.data[0]), null],
  softmaxCrossEntropy: ({ inputs: [z], labels }, g) => [softmaxCrossEntropyBackward(z.value, labels, g.data[0])],
  batchNorm: ({ inputs: [x, gamma], saved }, g) => {
    const r = batchNormBackward(x.value, gamma.value.data, saved, g);
    return [r.gradInput, vec(r.gradGamma), vec(r.gradBeta)];
  },
  dropout: ({ mask }, g) => [dropoutBackward(mask, g)],
  concat: ({ inputs }, g) => concatChannelsBackward(inputs.map((v) => v.value.shape), g),
  add: ({ inputs }, g) => addTensorsBackward(inputs.length, g),
  globalAvgPool: ({ inputs: [x] }, g) => [globalAvgPoolBackward(x.value.shape, g)],
};

/** Records ops as they run forward, then runs them backward. */
export class Tape {
  readonly entries: Entry[] = [];

  /** A leaf: an input or a parameter. Its gradient is kept when `requiresGrad`. */
  leaf(value: Tensor, requiresGrad = true): Var {
    return { value, grad: null, requiresGrad };
  }

  private out(value: Tensor, inputs: Maybe[]): Var {
    return { value, grad: null, requiresGrad: inputs.some(wants) };
  }

  conv2d(x: Var, w: Var, b: Maybe, options: Conv2dOptions | Conv2dParams = {}): Var {
    const params = conv2dParams(options);
    const output = this.out(conv2d(x.value, w.value, b === null ? null : b.value.data, params), [x, w, b]);
    this.entries.push({ op: 'conv2d', inputs: [x, w, b], output, params });
    return output;
  }

  pool2d(x: Var, options: Pool2dOptions | Pool2dParams): Var {
    const params = pool2dParams(options);
    const output = this.out(pool2d(x.value, params), [x]);
    this.entries.push({ op: 'pool2d', inputs: [x], output, params });
    return output;
  }

  activation(x: Var, fn: ActivationFn): Var {
    const output = this.out(activation(x.value, fn), [x]);
    this.entries.push({ op: 'activation', inputs: [x], output, fn });
    return output;
  }

  /**
   * σ then pooling as one op (see ops/sigmoid-pool.ts): the pooled Var, and the sigmoid's output as a plain tensor
   * (for showing; it is not a Var, so nothing can backpropagate from it — callers that need that use the two ops).
   */
  sigmoidPool(x: Var, options: Pool2dOptions | Pool2dParams): { output: Var; sigmoid: Tensor } {
    const params = pool2dParams(options);
    const { y, pooled } = sigmoidPool(x.value, params);
    const output = this.out(pooled, [x]);
    this.entries.push({ op: 'sigmoidPool', inputs: [x], output, params, y });
    return { output, sigmoid: y };
  }

  flatten(x: Var): Var {
    const output = this.out(flatten(x.value), [x]);
    this.entries.push({ op: 'flatten', inputs: [x], output });
    return output;
  }

  dense(x: Var, w: Var, b: Maybe): Var {
    const output = this.out(dense(x.value, w.value, b === null ? null : b.value.data), [x, w, b]);
    this.entries.push({ op: 'dense', inputs: [x, w, b], output });
    return output;
  }

  /** The book's batch_norm: batch statistics in train mode (moving ones updated), moving statistics in predict mode. */
  batchNorm(x: Var, gamma: Var, beta: Var, call: BatchNormCall): Var {
    const { y, saved } = batchNorm(x.value, gamma.value.data, beta.value.data, call.movingMean, call.movingVar, call.mode, call.eps, call.exchange);
    if (call.mode === 'train' && (call.updateMoving ?? true)) updateMovingStats(saved, call.movingMean, call.movingVar, call.momentum);
    const output = this.out(y, [x, gamma, beta]);
    this.entries.push({ op: 'batchNorm', inputs: [x, gamma, beta], output, saved });
    return output;
  }

  /** Inverted dropout with a mask drawn from `next` (training only: in prediction, simply do not call it). */
  dropout(x: Var, rate: number, next: () => number): Var {
    const { y, mask } = dropout(x.value, rate, next);
    const output = this.out(y, [x]);
    this.entries.push({ op: 'dropout', inputs: [x], output, mask });
    return output;
  }

  /** Joins the inputs along channels, in order. */
  concat(inputs: Var[]): Var {
    const output = this.out(concatChannels(inputs.map((v) => v.value)), inputs);
    this.entries.push({ op: 'concat', inputs, output });
    return output;
  }

  /** Elementwise sum of inputs of one shape. */
  add(inputs: Var[]): Var {
    const output = this.out(addTensors(inputs.map((v) => v.value)), inputs);
    this.entries.push({ op: 'add', inputs, output });
    return output;
  }

  /** (N,C,H,W) → (N,C,1,1): each channel's mean. */
  globalAvgPool(x: Var): Var {
    const output = this.out(globalAvgPool(x.value), [x]);
    this.entries.push({ op: 'globalAvgPool', inputs: [x], output });
    return output;
  }

  /** Σ(ŷ − y)² as a one-element tensor; the target gets no gradient. */
  squaredLoss(yHat: Var, y: Var): Var {
    const output = this.out(scalar(squaredLoss(yHat.value, y.value)), [yHat]);
    this.entries.push({ op: 'squaredLoss', inputs: [yHat, y], output });
    return output;
  }

  /** Summed softmax cross-entropy of N×K logits against integer labels, as a one-element tensor. */
  softmaxCrossEntropy(z: Var, labels: Int32Array): Var {
    const output = this.out(scalar(softmaxCrossEntropy(z.value, labels)), [z]);
    this.entries.push({ op: 'softmaxCrossEntropy', inputs: [z], output, labels });
    return output;
  }

  /**
   * Backpropagates from `v`, seeded with `seed` (default: ones, i.e. the gradient of v's sum), filling `grad`
   * of every Var that requires it. Gradients from several uses of one Var add up; leaves keep adding up across
   * calls (as PyTorch's do), while recorded outputs start afresh each call. `beforeEach` is called before each op's
   * rule: a long pass's caller may give up there by throwing (a stopped training run).
   */
  backward(v: Var, seed?: Tensor, beforeEach?: () => void): void {
    for (const e of this.entries) e.output.grad = null;
    v.grad = seed ?? { shape: [...v.value.shape], data: new Float32Array(sizeOf(v.value.shape)).fill(1) };
    // Arrays some Var's gradient already is: a rule may pass its output gradient on as it is (flatten, add) or
    // return one array for two inputs, and those must be copied before anything adds into them. Any other array a
    // rule returns is fresh, so the first Var it reaches keeps it without a copy.
    const held = new Set<Float32Array>([v.grad.data]);
    for (let k = this.entries.length - 1; k >= 0; k--) {
      const e = this.entries[k];
      const g = e.output.grad;
      if (g === null || !e.output.requiresGrad) continue;
      beforeEach?.();
      const grads = (RULES[e.op] as Rule<Entry>)(e, g);
      e.inputs.forEach((input, i) => {
        const gi = grads[i];
        if (input !== null && input.requiresGrad && gi) accumulate(input, gi, held);
      });
    }
  }
}

function scalar(v: number): Tensor {
  return { shape: [1], data: Float32Array.of(v) };
}

function accumulate(v: Var, g: Tensor, held: Set<Float32Array>): void {
  if (v.grad === null) {
    const data = held.has(g.data) ? Float32Array.from(g.data) : g.data;
    held.add(data);
    v.grad = { shape: [...v.value.shape], data };
    return;
  }
  const d = v.grad.data;
  for (let i = 0; i < d.length; i++) d[i] += g.data[i];
}
