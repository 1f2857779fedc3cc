import { describe, expect, it } from 'vitest';
import { dot, expectGradClose, numericGrad, randomTensor } from '../test-support/reference';
import { activation, activationBackward, ACTIVATIONS } from './activation';
import { dense, denseBackward, flatten, flattenBackward } from './dense';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward, squaredLoss, squaredLossBackward } from './loss';
import { onEachKernelPath } from '../test-support/kernel-paths';

onEachKernelPath(() => {
  describe('activations', () => {
    it('compute relu, sigmoid and tanh', () => {
      const x = { shape: [3], data: Float32Array.of(-1, 0, 2) };
      expect(Array.from(activation(x, 'relu').data)).toEqual([0, 0, 2]);
      expect(activation(x, 'sigmoid').data[1]).toBe(0.5);
      expect(activation(x, 'tanh').data[2]).toBeCloseTo(Math.tanh(2), 6);
    });

    for (const fn of ACTIVATIONS) {
      it(`${fn} backward agrees with finite differences`, () => {
        const x = randomTensor([2, 3, 4, 5], 9, -2, 2);
        // Keep relu's inputs away from its kink at 0.
        if (fn === 'relu') x.data.forEach((v, i) => { if (Math.abs(v) < 0.05) x.data[i] = 0.5; });
        const r = randomTensor([2, 3, 4, 5], 10);
        const f = () => dot(activation(x, fn).data, r.data);
        expectGradClose(activationBackward(x, activation(x, fn), r, fn).data, numericGrad(f, x.data, 1e-3), fn);
      });
    }
  });

  describe('flatten and dense', () => {
    it('flatten keeps the batch and joins the rest; its backward restores the shape', () => {
      const x = randomTensor([2, 3, 4, 5], 1);
      expect(flatten(x).shape).toEqual([2, 60]);
      expect(flattenBackward(x, flatten(x)).shape).toEqual([2, 3, 4, 5]);
    });

    it('dense computes x·Wᵀ + b', () => {
      const y = dense({ shape: [1, 2], data: Float32Array.of(1, 2) }, { shape: [2, 2], data: Float32Array.of(1, 0, 3, 4) }, Float32Array.of(10, 20));
      expect(Array.from(y.data)).toEqual([11, 31]);
    });

    it('dense backward agrees with finite differences', () => {
      const x = randomTensor([3, 7], 1), w = randomTensor([4, 7], 2), b = randomTensor([4], 3).data, r = randomTensor([3, 4], 4);
      const f = () => dot(dense(x, w, b).data, r.data);
      const g = denseBackward(x, w, r);
      expectGradClose(g.gradInput.data, numericGrad(f, x.data), 'grad input');
      expectGradClose(g.gradWeight.data, numericGrad(f, w.data), 'grad weight');
      expectGradClose(g.gradBias, numericGrad(f, b), 'grad bias');
    });
  });

  describe('losses', () => {
    it('squared loss is the book\'s Σ(ŷ − y)², gradient 2(ŷ − y)', () => {
      const a = { shape: [3], data: Float32Array.of(1, 2, 3) }, b = { shape: [3], data: Float32Array.of(1, 0, 4) };
      expect(squaredLoss(a, b)).toBe(5);
      expect(Array.from(squaredLossBackward(a, b).data)).toEqual([0, 4, -2]);
    });

    it('softmax cross-entropy: log K for equal logits, and its gradient agrees with finite differences', () => {
      expect(softmaxCrossEntropy({ shape: [1, 4], data: new Float32Array(4) }, [2])).toBeCloseTo(Math.log(4), 6);
      const z = randomTensor([3, 5], 7, -3, 3), labels = [0, 4, 2];
      const f = () => softmaxCrossEntropy(z, labels);
      expectGradClose(softmaxCrossEntropyBackward(z, labels).data, numericGrad(f, z.data, 1e-3), 'grad logits');
    });

    it('softmax cross-entropy refuses a label outside the classes', () => {
      expect(() => softmaxCrossEntropy({ shape: [1, 3], data: new Float32Array(3) }, [3])).toThrow('label 3 at row 0 is not a class index in 0..2');
    });
  });
});
