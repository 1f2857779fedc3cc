/** Inverted dropout: forward and backward side by side. Identity in prediction, so the trained net needs no rescaling. */
import { check } from '../errors';
import type { Tensor } from '../tensor';

/** Checks a dropout rate: a probability in [0, 1). */
export function checkDropoutRate(rate: number): void {
  check(Number.isFinite(rate) && rate >= 0 && rate < 1, 'range', () => `dropout rate must be in [0, 1), got ${rate}`);
}

/**
 * Zeroes each value with probability `rate` (drawn from `next`, a seeded uniform source) and scales the kept ones by
 * 1/(1 − rate), as the book's dropout does. Returns the output and the mask (0 or 1/(1 − rate) per value).
 */
export function dropout(x: Tensor, rate: number, next: () => number): { y: Tensor; mask: Float32Array } {
  checkDropoutRate(rate);
  const xd = x.data, y = new Float32Array(xd.length), mask = new Float32Array(xd.length);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < xd.length; i++) {
    const m = next() < rate ? 0 : keep;
    mask[i] = m;
    y[i] = xd[i] * m;
  }
  return { y: { shape: [...x.shape], data: y }, mask };
}

/** Backward of dropout: the upstream gradient through the same mask. */
export function dropoutBackward(mask: Float32Array, gradOutput: Tensor): Tensor {
  const g = gradOutput.data, gx = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) gx[i] = g[i] * mask[i];
  return { shape: [...gradOutput.shape], data: gx };
}
