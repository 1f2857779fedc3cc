/**
 * Batch norm over a batch cut into slices on one thread, as a batch split over threads runs it: a slice's sums are
 * taken by a run that stops at its exchange, then every slice runs with the totals a barrier would give it.
 */
import { expect } from 'vitest';
import type { Tensor } from '../tensor';
import { batchNorm, batchNormBackward, type BatchStatsExchange } from '../ops/batchnorm';

/** Samples [n0, n1) of a batch. */
export function rows(t: Tensor, n0: number, n1: number): Tensor {
  const per = t.data.length / t.shape[0];
  return { shape: [n1 - n0, ...t.shape.slice(1)], data: t.data.slice(n0 * per, n1 * per) };
}

export class Stop extends Error {}

/** An exchange that records the sums it is given at its `at`-th call and stops there. */
export function recorder(at: number): BatchStatsExchange & { seen: Float64Array | null } {
  let calls = 0;
  const r = {
    seen: null as Float64Array | null,
    total(sums: Float64Array): Float64Array {
      if (calls++ < at) return sums;
      r.seen = sums.slice();
      throw new Stop();
    },
  };
  return r;
}

/** An exchange that returns, at each call, the sums every slice gave at that call, added in slice order. */
export function replay(perCall: Float64Array[][]): BatchStatsExchange {
  let calls = 0;
  return {
    total(): Float64Array {
      const slices = perCall[calls++];
      const out = slices[0].slice();
      for (let s = 1; s < slices.length; s++) for (let i = 0; i < out.length; i++) out[i] += slices[s][i];
      return out;
    },
  };
}

export interface BatchNormCase {
  x: Tensor; g: Tensor; gamma: Float32Array; beta: Float32Array; eps: number;
  /** Fresh moving statistics (mean 0, variance 1) for each call. */
  moving: () => readonly [Float32Array, Float32Array];
}

/** What one slice's train-mode forward and backward give, with every slice's sums through the exchange. */
export interface SliceResult {
  forwardSums: Float64Array; backwardSums: Float64Array;
  mean: Float64Array; variance: Float64Array; count: number;
  y: Float32Array; gradInput: Float32Array; gradGamma: Float32Array; gradBeta: Float32Array;
}

/** Each slice [cuts[s], cuts[s + 1]) run as its own thread would, on the kernel path in use. */
export function runSlices(t: BatchNormCase, cuts: number[]): SliceResult[] {
  const { x, g, gamma, beta, eps } = t;
  const slices = cuts.slice(1).map((end, s) => [cuts[s], end] as const);
  // Each slice's sums at the forward's exchange (call 0), then, with the forward's totals, at the backward's (call 1).
  const forwardSums = slices.map(([a, b]) => {
    const r = recorder(0);
    expect(() => batchNorm(rows(x, a, b), gamma, beta, ...t.moving(), 'train', eps, r)).toThrow(Stop);
    return r.seen!;
  });
  const backwardSums = slices.map(([a, b]) => {
    const f = batchNorm(rows(x, a, b), gamma, beta, ...t.moving(), 'train', eps, replay([forwardSums]));
    const r = recorder(0);
    expect(() => batchNormBackward(rows(x, a, b), gamma, { ...f.saved, exchange: r }, rows(g, a, b))).toThrow(Stop);
    return r.seen!;
  });
  return slices.map(([a, b], s) => {
    const f = batchNorm(rows(x, a, b), gamma, beta, ...t.moving(), 'train', eps, replay([forwardSums, backwardSums]));
    const back = batchNormBackward(rows(x, a, b), gamma, f.saved, rows(g, a, b));
    return {
      forwardSums: forwardSums[s], backwardSums: backwardSums[s],
      mean: f.saved.mean, variance: f.saved.variance, count: f.saved.count,
      y: f.y.data, gradInput: back.gradInput.data, gradGamma: back.gradGamma, gradBeta: back.gradBeta,
    };
  });
}

/** Largest |a − b| / max(1, |b|). */
export function worstGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
