/**
 * The runners for convlab-reference/2's eight lists (shared/reference/README.md): chapter 5's layers, the book's
 * architectures and short training runs from given weights, each case scored under its list's tolerance.
 */
import { CaseFormatError, num, nums, obj, Score, tensorOf, type Json } from './conformance-case';
import { parseReferenceModel } from './nets/reference-model';
import { lossAndGrads } from './nets/run';
import { NetSgd } from './nets/sgd';
import { activation, activationBackward, type ActivationFn } from './ops/activation';
import { batchNorm, batchNormBackward, updateMovingStats } from './ops/batchnorm';
import { dense, denseBackward } from './ops/dense';
import { globalAvgPool, globalAvgPoolBackward } from './ops/global-avg-pool';
import { addTensors, addTensorsBackward, concatChannels, concatChannelsBackward } from './ops/join';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward } from './ops/loss';
import type { Tensor } from './tensor';

export const REFERENCE_2_SCHEMA = 'convlab-reference/2';
export const REFERENCE_2_LISTS = ['dense', 'activation', 'softmax_cross_entropy', 'batch_norm', 'concat_add', 'global_avg_pool', 'architectures', 'training'] as const;
export type Reference2List = (typeof REFERENCE_2_LISTS)[number];

/** Scores one case into `s`; throws CaseFormatError or ConvLabError to fail it. */
export type CaseRunner = (c: Json, s: Score) => void;

const vec = (a: Float32Array): Tensor => ({ shape: [a.length], data: a });

function labelsOf(v: unknown): Int32Array {
  const l = nums(v, 'labels');
  if (!l.every((x) => Number.isInteger(x))) throw new CaseFormatError('labels must be whole numbers');
  return Int32Array.from(l);
}

function denseCase(c: Json, s: Score): void {
  const x = tensorOf(c.x, 'x'), w = tensorOf(c.weight, 'weight'), b = tensorOf(c.bias, 'bias'), g = tensorOf(c.grad_output, 'grad_output');
  s.tensor('output', dense(x, w, b.data), tensorOf(c.output, 'output'));
  const r = denseBackward(x, w, g);
  s.tensor('grad_input', r.gradInput, tensorOf(c.grad_input, 'grad_input'));
  s.tensor('grad_weight', r.gradWeight, tensorOf(c.grad_weight, 'grad_weight'));
  s.tensor('grad_bias', vec(r.gradBias), tensorOf(c.grad_bias, 'grad_bias'));
}

function activationCase(c: Json, s: Score): void {
  const op = c.op;
  if (op !== 'sigmoid' && op !== 'relu' && op !== 'tanh') throw new CaseFormatError(`op must be sigmoid, relu or tanh, got ${JSON.stringify(op)}`);
  const x = tensorOf(c.x, 'x');
  const y = activation(x, op as ActivationFn);
  s.tensor('y', y, tensorOf(c.y, 'y'));
  s.tensor('grad_input', activationBackward(x, y, tensorOf(c.grad_output, 'grad_output'), op as ActivationFn), tensorOf(c.grad_input, 'grad_input'));
}

function softmaxCase(c: Json, s: Score): void {
  const z = tensorOf(c.logits, 'logits'), labels = labelsOf(c.labels);
  const n = z.shape[0], k = z.shape[1];
  const losses = new Float32Array(n);
  for (let r = 0; r < n; r++) losses[r] = softmaxCrossEntropy({ shape: [1, k], data: z.data.subarray(r * k, (r + 1) * k) }, [labels[r]]);
  s.tensor('loss', vec(losses), tensorOf(c.loss, 'loss'));
  s.value('mean_loss', softmaxCrossEntropy(z, labels) / n, num(c.mean_loss, 'mean_loss'));
  s.tensor('grad_logits', softmaxCrossEntropyBackward(z, labels, 1 / n), tensorOf(c.grad_logits, 'grad_logits'));
}

function batchNormCase(c: Json, s: Score): void {
  const mode = c.mode === 'train' ? 'train' : c.mode === 'eval' ? 'predict' : null;
  if (mode === null) throw new CaseFormatError(`mode must be train or eval, got ${JSON.stringify(c.mode)}`);
  const x = tensorOf(c.x, 'x'), gamma = tensorOf(c.gamma, 'gamma').data, beta = tensorOf(c.beta, 'beta').data;
  const mm = tensorOf(c.moving_mean, 'moving_mean').data, mv = tensorOf(c.moving_var, 'moving_var').data;
  const { y, saved } = batchNorm(x, gamma, beta, mm, mv, mode, num(c.eps, 'eps'));
  s.tensor('y', y, tensorOf(c.y, 'y'));
  if (mode === 'train') {
    updateMovingStats(saved, mm, mv, num(c.momentum, 'momentum'));
    s.tensor('moving_mean_after', vec(mm), tensorOf(c.moving_mean_after, 'moving_mean_after'));
    s.tensor('moving_var_after', vec(mv), tensorOf(c.moving_var_after, 'moving_var_after'));
  }
  const r = batchNormBackward(x, gamma, saved, tensorOf(c.grad_output, 'grad_output'));
  s.tensor('grad_input', r.gradInput, tensorOf(c.grad_input, 'grad_input'));
  s.tensor('grad_gamma', vec(r.gradGamma), tensorOf(c.grad_gamma, 'grad_gamma'));
  s.tensor('grad_beta', vec(r.gradBeta), tensorOf(c.grad_beta, 'grad_beta'));
}

function tensorList(v: unknown, name: string): Tensor[] {
  if (!Array.isArray(v)) throw new CaseFormatError(`${name} must be a list of tensors`);
  return v.map((t, i) => tensorOf(t, `${name}[${i}]`));
}

function concatAddCase(c: Json, s: Score): void {
  const inputs = tensorList(c.inputs, 'inputs'), g = tensorOf(c.grad_output, 'grad_output');
  const want = tensorList(c.grad_inputs, 'grad_inputs');
  let out: Tensor, grads: Tensor[];
  if (c.op === 'concat') {
    out = concatChannels(inputs);
    grads = concatChannelsBackward(inputs.map((t) => t.shape), g);
  } else if (c.op === 'add') {
    out = addTensors(inputs);
    grads = addTensorsBackward(inputs.length, g);
  } else throw new CaseFormatError(`op must be concat or add, got ${JSON.stringify(c.op)}`);
  s.tensor('output', out, tensorOf(c.output, 'output'));
  if (grads.length !== want.length) s.fail(`grad_inputs: ${grads.length} tensors, want ${want.length}`);
  else grads.forEach((gi, k) => s.tensor(`grad_inputs[${k}]`, gi, want[k]));
}

function globalAvgPoolCase(c: Json, s: Score): void {
  const x = tensorOf(c.x, 'x');
  s.tensor('output', globalAvgPool(x), tensorOf(c.output, 'output'));
  s.tensor('grad_input', globalAvgPoolBackward(x.shape, tensorOf(c.grad_output, 'grad_output')), tensorOf(c.grad_input, 'grad_input'));
}

/**
 * K plain SGD steps on one batch from the given weights: each step's pre-update mean loss and accuracy, every
 * parameter afterwards (moving statistics included), then one more train-mode loss and, with BN, a predict-mode one.
 */
function trainingCase(c: Json, s: Score): void {
  if (c.batches !== 'same') throw new CaseFormatError(`batches must be "same", got ${JSON.stringify(c.batches)}`);
  const { spec, params } = parseReferenceModel(c.model);
  const x = tensorOf(c.x, 'x'), labels = labelsOf(c.labels);
  const steps = num(c.steps, 'steps'), losses = nums(c.losses, 'losses'), acc = nums(c.train_acc, 'train_acc');
  if (losses.length !== steps || acc.length !== steps) throw new CaseFormatError(`losses and train_acc must hold one entry per step (${steps})`);
  const sgd = new NetSgd(spec, params, { lr: num(c.lr, 'lr') });
  const n = x.shape[0];
  for (let t = 0; t < steps; t++) {
    const r = lossAndGrads(spec, params, x, labels, { mode: 'train' });
    s.value(`losses[${t}]`, r.loss, losses[t]);
    s.value(`train_acc[${t}]`, r.correct / n, acc[t]);
    sgd.step(r.grads);
  }
  const finals = c.final_params;
  if (!Array.isArray(finals)) throw new CaseFormatError('final_params must be a list');
  if (finals.length !== params.size) s.fail(`final_params: the model has ${params.size} tensors, the case lists ${finals.length}`);
  for (const raw of finals) {
    const f = obj(raw, 'final_params entry'), path = String(f.path), got = params.get(path);
    if (got === undefined) s.fail(`final_params: no parameter ${path}`);
    else s.tensor(path, got, tensorOf(f.tensor, path));
  }
  s.value('final_loss', lossAndGrads(spec, params, x, labels, { mode: 'train', updateMovingStats: false, forwardOnly: true }).loss, num(c.final_loss, 'final_loss'));
  if (c.final_eval_loss !== undefined) {
    s.value('final_eval_loss', lossAndGrads(spec, params, x, labels, { mode: 'predict', forwardOnly: true }).loss, num(c.final_eval_loss, 'final_eval_loss'));
  }
}

/** Runners for every list but `architectures`, whose shape inference is passed in by the caller when it exists. */
export const RUNNERS_2: Record<Exclude<Reference2List, 'architectures'>, CaseRunner> = {
  dense: denseCase,
  activation: activationCase,
  softmax_cross_entropy: softmaxCase,
  batch_norm: batchNormCase,
  concat_add: concatAddCase,
  global_avg_pool: globalAvgPoolCase,
  training: trainingCase,
};
