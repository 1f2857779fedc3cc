/**
 * Runs a NetSpec on the tape: forward in train or predict mode, then backward to every parameter and to the input.
 * Layers are the reference's: conv2d and dense carry no activation of their own; residual and concat nest lists.
 */
import { check, ConvLabError } from '../errors';
import { Tape, type Var } from '../tape';
import { shapeText, type Tensor } from '../tensor';
import type { BatchStatsExchange } from '../ops/batchnorm';
import { kindOf } from '../layers/table';
import { pool2dParams, pool2dShape } from '../ops/pool2d';
import type { LayerSpec, NetSpec, Params } from './model';
import { layerPath, paramSlots } from './params';

export type NetMode = 'train' | 'predict';

export interface RunOptions {
  mode: NetMode;
  /** Train mode: fold each batch's statistics into BN's moving ones (default true). */
  updateMovingStats?: boolean;
  /** Train mode on one thread's slice of a split batch: the whole batch's sums for batch norm (default: none needed). */
  batchStats?: BatchStatsExchange;
  /** Seeded uniform source for dropout masks; required when training a net with dropout. */
  random?: () => number;
  /** Every layer's output by path, as it is computed (feature maps for the UI). */
  onLayer?: (path: string, spec: LayerSpec, output: Tensor) => void;
  /** The same, as the tape's value (for backpropagating from one layer's unit). */
  onLayerVar?: (path: string, output: Var) => void;
}

/** Leaves for the parameters on one tape; the moving statistics are not leaves (they are state, not learned). */
export type ParamVars = Map<string, Var>;

function param(vars: ParamVars, path: string): Var {
  const v = vars.get(path);
  if (v === undefined) throw new ConvLabError('format', `parameter ${path} is missing`);
  return v;
}

function state(params: Params, path: string): Float32Array {
  const t = params.get(path);
  if (t === undefined) throw new ConvLabError('format', `parameter ${path} is missing`);
  return t.data;
}

function runLayer(t: Tape, l: LayerSpec, p: string, x: Var, params: Params, vars: ParamVars, o: RunOptions): Var {
  const kind = kindOf(l);
  if (kind.container) return kind.forwardJoin(t, kind.branches(l).map((b) => runLayers(t, b.layers as NetSpec, `${p}.${b.name}`, x, params, vars, o)));
  return kind.forward(t, l, x, {
    path: p, mode: o.mode, updateMovingStats: o.updateMovingStats ?? true, batchStats: o.batchStats, random: o.random,
    param: (role) => param(vars, `${p}.${role}`),
    state: (role) => state(params, `${p}.${role}`),
  });
}

/** Runs `layers` (paths under `prefix`) on `x`, recording every op on `t`. Errors name the layer's path. */
export function runLayers(t: Tape, layers: readonly LayerSpec[], prefix: string, x: Var, params: Params, vars: ParamVars, o: RunOptions): Var {
  let h = x;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i], p = layerPath(prefix, i);
    const next = layers[i + 1];
    // A sigmoid into pooling (LeNet's) runs as one op, unless a caller wants the sigmoid's output as a Var.
    const fuse = next === undefined || o.onLayerVar !== undefined ? undefined : kindOf(l);
    const pool = fuse?.container || fuse?.fusedWithPool === undefined ? undefined : kindOf(next);
    if (fuse !== undefined && !fuse.container && fuse.fusedWithPool !== undefined && pool !== undefined && !pool.container && pool.poolOptions !== undefined) {
      const q = layerPath(prefix, i + 1), input = h;
      const options = named(q, next, () => {
        const options = pool.poolOptions!(next);
        pool2dShape(input.value.shape, pool2dParams(options));
        return options;
      });
      const fused = named(p, l, () => fuse.fusedWithPool!(t, input, options));
      o.onLayer?.(p, l, fused.first);
      o.onLayer?.(q, next, fused.output.value);
      h = fused.output;
      i++;
      continue;
    }
    h = named(p, l, () => runLayer(t, l, p, h, params, vars, o));
    o.onLayer?.(p, l, h.value);
    o.onLayerVar?.(p, h);
  }
  return h;
}

/** Runs `fn`, naming layer `p` in any engine error that does not name a layer yet. */
function named<T>(p: string, l: LayerSpec, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConvLabError && !e.message.startsWith('layer ')) throw e.within(`layer ${p} (${l.type}): `);
    throw e;
  }
}

/** Leaves on `t` for every learnable parameter (gradients wanted) of `spec`. */
export function paramLeaves(t: Tape, spec: NetSpec, params: Params, requiresGrad = true): ParamVars {
  const vars: ParamVars = new Map();
  for (const slot of paramSlots(spec)) {
    if (!slot.trainable) continue;
    const p = params.get(slot.path);
    if (p === undefined) throw new ConvLabError('format', `parameter ${slot.path} is missing`);
    vars.set(slot.path, t.leaf(p, requiresGrad));
  }
  return vars;
}

/** The network's output for `x` in predict mode (BN uses its moving statistics, dropout is off). */
export function predict(spec: NetSpec, params: Params, x: Tensor, onLayer?: RunOptions['onLayer']): Tensor {
  const t = new Tape();
  const vars = paramLeaves(t, spec, params, false);
  return runLayers(t, spec, '', t.leaf(x, false), params, vars, { mode: 'predict', onLayer }).value;
}

export interface LossAndGrads {
  /** Mean softmax cross-entropy over the batch. */
  loss: number;
  /** Samples whose largest logit is at their label. */
  correct: number;
  logits: Tensor;
  /** Gradient of (summed loss) / gradDivisor for every learnable parameter, by path. */
  grads: Map<string, Float32Array>;
  /** Gradient with respect to the input, when asked for. */
  inputGrad: Tensor | null;
}

export interface LossOptions extends RunOptions {
  /** The summed loss's gradient is divided by this: the batch size (Gluon's trainer.step(batch_size)). Default N. */
  gradDivisor?: number;
  /** Also backpropagate to the input (for effective receptive fields). */
  inputGrad?: boolean;
  /** Skip the backward pass (evaluation). */
  forwardOnly?: boolean;
  /** Called before each op of the backward pass: a caller may give up there by throwing (a stopped training run). */
  beforeBackwardOp?: () => void;
}

/** Index of the largest value in row r of an N×C matrix. */
export function argmaxRow(d: Float32Array, r: number, c: number): number {
  let best = 0;
  for (let j = 1; j < c; j++) if (d[r * c + j] > d[r * c + best]) best = j;
  return best;
}

/** One forward pass, the softmax cross-entropy against `labels`, and (unless forwardOnly) every gradient. */
export function lossAndGrads(spec: NetSpec, params: Params, x: Tensor, labels: Int32Array, o: LossOptions): LossAndGrads {
  const t = new Tape();
  const vars = paramLeaves(t, spec, params);
  const xv = t.leaf(x, o.inputGrad === true);
  const out = runLayers(t, spec, '', xv, params, vars, o);
  check(out.value.shape.length === 2, 'shape', () => `the network's output must be N×classes to score it, got ${shapeText(out.value.shape)}`);
  const [n, c] = out.value.shape;
  const sum = t.softmaxCrossEntropy(out, labels);
  let correct = 0;
  for (let r = 0; r < n; r++) if (argmaxRow(out.value.data, r, c) === labels[r]) correct++;
  const grads = new Map<string, Float32Array>();
  if (o.forwardOnly !== true) {
    t.backward(sum, { shape: [1], data: Float32Array.of(1 / (o.gradDivisor ?? n)) }, o.beforeBackwardOp);
    for (const [path, v] of vars) grads.set(path, v.grad?.data ?? new Float32Array(v.value.data.length));
  }
  return { loss: sum.value.data[0] / n, correct, logits: out.value, grads, inputGrad: o.inputGrad === true ? xv.grad : null };
}

/**
 * Gradient of one unit of one layer's output (predict mode) with respect to the input: where it is nonzero is the
 * unit's effective receptive field, through branches and skips alike. `unit` indexes the layer's output without
 * its batch axis (e.g. [c, y, x] for a map, [f] for a dense layer); `x` holds one image.
 */
export function unitInputGradient(spec: NetSpec, params: Params, x: Tensor, layer: string, unit: readonly number[]): Tensor {
  check(x.shape[0] === 1, 'shape', () => `the input must hold one image, got a batch of ${x.shape[0]}`);
  const t = new Tape();
  const vars = paramLeaves(t, spec, params, false);
  const xv = t.leaf(x, true);
  let target: Var | undefined;
  runLayers(t, spec, '', xv, params, vars, { mode: 'predict', onLayerVar: (p, v) => { if (p === layer) target = v; } });
  check(target !== undefined, 'range', () => `the network has no layer ${layer}`);
  const shape = target.value.shape.slice(1);
  check(unit.length === shape.length && unit.every((u, i) => Number.isInteger(u) && u >= 0 && u < shape[i]), 'range',
    () => `unit [${unit.join(', ')}] is outside layer ${layer}'s output ${shapeText(shape)}`);
  let index = 0;
  for (let i = 0; i < shape.length; i++) index = index * shape[i] + unit[i];
  const seed = new Float32Array(target.value.data.length);
  seed[index] = 1;
  t.backward(target, { shape: target.value.shape, data: seed });
  return xv.grad ?? { shape: [...x.shape], data: new Float32Array(x.data.length) };
}
