// Batch norm over a batch cut into slices (synchronised batch norm, as a batch split over threads runs it): each
// slice's forward and backward, given every slice's sums through the exchange, give the whole batch's outputs,
// input gradients and statistics within float rounding; the slices' γ and β gradients add up to the whole batch's.
// One thread here: a slice's sums are taken first by a run that stops at its exchange, then every slice runs with
// the totals a barrier would give it.
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../random';
import type { Tensor } from '../tensor';
import { batchNorm, batchNormBackward, ONE_THREAD, type BatchStatsExchange } from './batchnorm';

function randomTensor(shape: number[], seed: number, offset: number, scale: number): Tensor {
  const next = mulberry32(seed), size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, () => offset + scale * (2 * next() - 1)) };
}

/** Samples [n0, n1) of a batch. */
function rows(t: Tensor, n0: number, n1: number): Tensor {
  const per = t.data.length / t.shape[0];
  return { shape: [n1 - n0, ...t.shape.slice(1)], data: t.data.slice(n0 * per, n1 * per) };
}

class Stop extends Error {}

/** An exchange that records the sums it is given at its `at`-th call and stops there. */
function recorder(at: number): BatchStatsExchange & { seen: Float64Array | null } {
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
function replay(perCall: Float64Array[][]): BatchStatsExchange {
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

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThanOrEqual(tol);
};

describe.each([
  { name: 'conv maps, two uneven slices', shape: [7, 3, 5, 4], cuts: [0, 3, 7] },
  { name: 'conv maps far from zero (mean 40, spread 0.5), three slices', shape: [9, 2, 3, 3], cuts: [0, 2, 5, 9], offset: 40, scale: 0.5 },
  { name: 'dense features, four slices of one sample and more', shape: [6, 5], cuts: [0, 1, 2, 4, 6] },
])('batch norm in slices: $name', ({ shape, cuts, offset = 0.3, scale = 2 }) => {
  const c = shape[1];
  const x = randomTensor(shape, 1, offset, scale), g = randomTensor(shape, 2, 0, 1);
  const gamma = Float32Array.from({ length: c }, (_, i) => 0.5 + 0.25 * i), beta = Float32Array.from({ length: c }, (_, i) => 0.1 * i);
  const moving = () => [new Float32Array(c), new Float32Array(c).fill(1)] as const;
  const slices = cuts.slice(1).map((end, s) => [cuts[s], end] as const);

  test("each slice's forward and backward, with every slice's sums, give the whole batch's", () => {
    const whole = batchNorm(x, gamma, beta, ...moving(), 'train', 1e-5);
    const wholeBack = batchNormBackward(x, gamma, whole.saved, g);
    // Each slice's sums at the forward's exchange (call 0), then, with the forward's totals, at the backward's (call 1).
    const forwardSums = slices.map(([a, b]) => {
      const r = recorder(0);
      expect(() => batchNorm(rows(x, a, b), gamma, beta, ...moving(), 'train', 1e-5, r)).toThrow(Stop);
      return r.seen!;
    });
    const backwardSums = slices.map(([a, b]) => {
      const f = batchNorm(rows(x, a, b), gamma, beta, ...moving(), 'train', 1e-5, replay([forwardSums]));
      const r = recorder(0);
      expect(() => batchNormBackward(rows(x, a, b), gamma, { ...f.saved, exchange: r }, rows(g, a, b))).toThrow(Stop);
      return r.seen!;
    });
    const gradGamma = new Float64Array(c), gradBeta = new Float64Array(c);
    for (const [a, b] of slices) {
      const exchange = replay([forwardSums, backwardSums]);
      const f = batchNorm(rows(x, a, b), gamma, beta, ...moving(), 'train', 1e-5, exchange);
      close(f.saved.mean, whole.saved.mean, 1e-12);
      close(f.saved.variance, whole.saved.variance, 1e-12);
      expect(f.saved.count).toBe(whole.saved.count);
      close(f.y.data, rows(whole.y, a, b).data, 1e-6);
      const back = batchNormBackward(rows(x, a, b), gamma, f.saved, rows(g, a, b));
      close(back.gradInput.data, rows(wholeBack.gradInput, a, b).data, 1e-5);
      back.gradGamma.forEach((v, i) => (gradGamma[i] += v));
      back.gradBeta.forEach((v, i) => (gradBeta[i] += v));
    }
    close(gradGamma, wholeBack.gradGamma, 1e-5);
    close(gradBeta, wholeBack.gradBeta, 1e-5);
  });

  test('on one thread the exchange changes nothing: the same floats as without it', () => {
    const plain = batchNorm(x, gamma, beta, ...moving(), 'train', 1e-5);
    const through = batchNorm(x, gamma, beta, ...moving(), 'train', 1e-5, { total: (sums) => ONE_THREAD.total(sums).slice() });
    expect(Array.from(through.y.data)).toEqual(Array.from(plain.y.data));
    expect(Array.from(through.saved.variance)).toEqual(Array.from(plain.saved.variance));
  });
});
