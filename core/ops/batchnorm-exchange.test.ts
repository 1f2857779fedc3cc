// Batch norm over a batch cut into slices (synchronised batch norm, as a batch split over threads runs it): each
// slice's forward and backward, given every slice's sums through the exchange, give the whole batch's outputs,
// input gradients and statistics within float rounding; the slices' γ and β gradients add up to the whole batch's.
// One thread here (test-support/batch-slices.ts), on each kernel path.
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../random';
import type { Tensor } from '../tensor';
import { rows, runSlices, worstGap } from '../test-support/batch-slices';
import { onEachKernelPath } from '../test-support/kernel-paths';
import { batchNorm, batchNormBackward, ONE_THREAD } from './batchnorm';

function randomTensor(shape: number[], seed: number, offset: number, scale: number): Tensor {
  const next = mulberry32(seed), size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, () => offset + scale * (2 * next() - 1)) };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => expect(worstGap(a, b)).toBeLessThanOrEqual(tol);

onEachKernelPath(() => {
  describe.each([
    { name: 'conv maps, two uneven slices', shape: [7, 3, 5, 4], cuts: [0, 3, 7] },
    { name: 'conv maps far from zero (mean 40, spread 0.5), three slices', shape: [9, 2, 3, 3], cuts: [0, 2, 5, 9], offset: 40, scale: 0.5 },
    { name: 'dense features, four slices of one sample and more', shape: [6, 5], cuts: [0, 1, 2, 4, 6] },
  ])('batch norm in slices: $name', ({ shape, cuts, offset = 0.3, scale = 2 }) => {
    const c = shape[1];
    const x = randomTensor(shape, 1, offset, scale), g = randomTensor(shape, 2, 0, 1);
    const gamma = Float32Array.from({ length: c }, (_, i) => 0.5 + 0.25 * i), beta = Float32Array.from({ length: c }, (_, i) => 0.1 * i);
    const moving = () => [new Float32Array(c), new Float32Array(c).fill(1)] as const;

    test("each slice's forward and backward, with every slice's sums, give the whole batch's", () => {
      const whole = batchNorm(x, gamma, beta, ...moving(), 'train', 1e-5);
      const wholeBack = batchNormBackward(x, gamma, whole.saved, g);
      const gradGamma = new Float64Array(c), gradBeta = new Float64Array(c);
      runSlices({ x, g, gamma, beta, eps: 1e-5, moving }, cuts).forEach((slice, s) => {
        const [a, b] = [cuts[s], cuts[s + 1]];
        close(slice.mean, whole.saved.mean, 1e-12);
        close(slice.variance, whole.saved.variance, 1e-12);
        expect(slice.count).toBe(whole.saved.count);
        close(slice.y, rows(whole.y, a, b).data, 1e-6);
        close(slice.gradInput, rows(wholeBack.gradInput, a, b).data, 1e-5);
        slice.gradGamma.forEach((v, i) => (gradGamma[i] += v));
        slice.gradBeta.forEach((v, i) => (gradBeta[i] += v));
      });
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
});
