/**
 * A small tape: each op appends { op, inputs, output }; backward walks the entries in reverse and looks up one
 * rule per op in RULES, so gradients reach every parameter and the input. A new op is a file and a row.
 */
import { activation, activationBackward, type ActivationFn } from './ops/activation';
import { conv2d, conv2dInputGrad, conv2dParams, conv2dWeightGrad, type Conv2dOptions, type Conv2dParams } from './ops/conv2d';
import { dense, denseBackward, flatten, flattenBackward } from './ops/dense';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward, squaredLoss, squaredLossBackward } from './ops/loss';
import { pool2d, pool2dBackward, pool2dParams, type Pool2dOptions, type Pool2dParams } from './ops/pool2d';
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
  | { op: 'flatten'; inputs: [Var]; output: Var }
  | { op: 'dense'; inputs: [Var, Var, Maybe]; output: Var }
  | { op: 'squaredLoss'; inputs: [Var, Var]; output: Var }
  | { op: 'softmaxCrossEntropy'; inputs: [Var]; output: Var; labels: Int32Array };

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
  flatten: ({ inputs: [x] }, g) => [flattenBackward(x.value, g)],
  dense: ({ inputs: [x, w] }, g) => {
    const r = denseBackward(x.value, w.value, g);
    return [r.gradInput, r.gradWeight, vec(r.gradBias)];
  },
  squaredLoss: ({ inputs: [yHat, y] }, g) => [squaredLossBackward(yHat.value, y.value, g.data[0]), null],
  softmaxCrossEntropy: ({ inputs: [z], labels }, g) => [softmaxCrossEntropyBackward(z.value, labels, g.data[0])],
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
   * calls (as PyTorch's do), while recorded outputs start afresh each call.
   */
  backward(v: Var, seed?: Tensor): void {
    for (const e of this.entries) e.output.grad = null;
    v.grad = seed ?? { shape: [...v.value.shape], data: new Float32Array(sizeOf(v.value.shape)).fill(1) };
    for (let k = this.entries.length - 1; k >= 0; k--) {
      const e = this.entries[k];
      const g = e.output.grad;
      if (g === null || !e.output.requiresGrad) continue;
      const grads = (RULES[e.op] as Rule<Entry>)(e, g);
      e.inputs.forEach((input, i) => {
        const gi = grads[i];
        if (input !== null && input.requiresGrad && gi) accumulate(input, gi);
      });
    }
  }
}

function scalar(v: number): Tensor {
  return { shape: [1], data: Float32Array.of(v) };
}

function accumulate(v: Var, g: Tensor): void {
  if (v.grad === null) {
    v.grad = { shape: [...v.value.shape], data: Float32Array.from(g.data) };
    return;
  }
  const d = v.grad.data;
  for (let i = 0; i < d.length; i++) d[i] += g.data[i];
}
