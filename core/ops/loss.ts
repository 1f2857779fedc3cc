/** Losses: the book's squared loss and softmax cross-entropy, each with the gradient of its sum. */
import { check } from '../errors';
import { shapeText, type Tensor } from '../tensor';
import { floats } from './floats';

function sameShape(a: Tensor, b: Tensor, what: string): void {
  check(a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]), 'shape',
    () => `${what}: prediction ${shapeText(a.shape)} and target ${shapeText(b.shape)} differ in shape`);
}

/**
 * The book's squared loss summed: Σ (ŷ − y)². (d2l 5.1.4 uses l = (Ŷ − Y)², and MXNet's l.backward() on a
 * non-scalar differentiates l.sum(); the printed loss is l.sum().) Summed in double precision.
 */
export function squaredLoss(yHat: Tensor, y: Tensor): number {
  sameShape(yHat, y, 'squared loss');
  let s = 0;
  for (let i = 0; i < yHat.data.length; i++) {
    const d = yHat.data[i] - y.data[i];
    s += d * d;
  }
  return s;
}

/** Gradient of Σ (ŷ − y)² with respect to ŷ, times `scale` (the upstream gradient): 2(ŷ − y)·scale. */
export function squaredLossBackward(yHat: Tensor, y: Tensor, scale = 1): Tensor {
  sameShape(yHat, y, 'squared loss');
  const g = new Float32Array(yHat.data.length);
  for (let i = 0; i < g.length; i++) g[i] = 2 * (yHat.data[i] - y.data[i]) * scale;
  return { shape: [...yHat.shape], data: g };
}

function checkLogits(logits: Tensor, labels: Int32Array | readonly number[]): [number, number] {
  check(logits.shape.length === 2, 'shape', () => `logits must be N×classes, got ${shapeText(logits.shape)}`);
  const [n, k] = logits.shape;
  check(labels.length === n, 'shape', () => `${labels.length} labels for ${n} rows of logits`);
  for (let r = 0; r < n; r++) {
    check(Number.isInteger(labels[r]) && labels[r] >= 0 && labels[r] < k, 'range',
      () => `label ${labels[r]} at row ${r} is not a class index in 0..${k - 1}`);
  }
  return [n, k];
}

/** Softmax cross-entropy summed over rows: Σ_r (logsumexp(z_r) − z_r[label_r]), stable by subtracting the row max. */
export function softmaxCrossEntropy(logits: Tensor, labels: Int32Array | readonly number[]): number {
  const [n, k] = checkLogits(logits, labels);
  let total = 0;
  for (let r = 0; r < n; r++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, logits.data[r * k + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(logits.data[r * k + j] - m);
    total += Math.log(s) + m - logits.data[r * k + labels[r]];
  }
  return total;
}

/** Gradient of the summed softmax cross-entropy: softmax(z) − onehot(label), times `scale`. */
export function softmaxCrossEntropyBackward(logits: Tensor, labels: Int32Array | readonly number[], scale = 1): Tensor {
  const [n, k] = checkLogits(logits, labels);
  const g = floats(n * k);
  for (let r = 0; r < n; r++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, logits.data[r * k + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(logits.data[r * k + j] - m);
    for (let j = 0; j < k; j++) g[r * k + j] = (Math.exp(logits.data[r * k + j] - m) / s - (j === labels[r] ? 1 : 0)) * scale;
  }
  return { shape: [n, k], data: g };
}
