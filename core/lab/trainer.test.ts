import { describe, expect, it } from 'vitest';
import { createTrainer } from './trainer';
import type { MapData, TrainSettings } from './types';
import { onEachKernelPath } from '../test-support/kernel-paths';

const X: MapData = { shape: [1, 1, 6, 8], data: Float32Array.from(Array.from({ length: 6 }, () => [1, 1, 0, 0, 0, 0, 1, 1]).flat()) };
const Y: MapData = { shape: [1, 1, 6, 7], data: Float32Array.from(Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]).flat()) };
const BOOK: TrainSettings = { x: X, y: Y, kernel: [1, 2], learnBias: false, lr: 3e-2, iterations: 10, flip: false };

onEachKernelPath(() => {
  describe('kernel learning (d2l 5.1.4)', () => {
    it('from the default initialisation, drives the loss below 0.01 within 10 iterations and the kernel to [1, −1]', () => {
      const t = createTrainer(BOOK);
      let last = t.step();
      while (t.iteration < 10) last = t.step();
      expect(last.loss).toBeLessThan(0.01);
      expect(Math.abs(last.weight[0] - 1)).toBeLessThan(0.05);
      expect(Math.abs(last.weight[1] + 1)).toBeLessThan(0.05);
      expect(last.bias).toBe(0);
    });

    it('default weights are seeded Uniform(−0.07, 0.07): same seed, same run', () => {
      const a = createTrainer({ ...BOOK, seed: 3 }).step(), b = createTrainer({ ...BOOK, seed: 3 }).step();
      const c = createTrainer({ ...BOOK, seed: 4 }).step();
      expect(a.loss).toBe(b.loss);
      expect(a.loss).not.toBe(c.loss);
    });

    it('reproduces the book\'s printout from its reconstructed start: 4.949 0.831 0.140 0.024 0.004, weight [0.9895, −0.9873705]', () => {
      const t = createTrainer({ ...BOOK, initWeight: Float32Array.of(0.006834091, 0.012998423) });
      const printed: string[] = [];
      let last = t.step();
      for (;;) {
        if (last.iteration % 2 === 0) printed.push(last.loss.toFixed(3));
        if (t.iteration === 10) break;
        last = t.step();
      }
      expect(printed).toEqual(['4.949', '0.831', '0.140', '0.024', '0.004']);
      expect(last.weight[0]).toBeCloseTo(0.9895, 6);
      expect(last.weight[1]).toBeCloseTo(-0.9873705, 6);
    });

    it('matches the hand check: loss 11.0652, gradient (−10.92, 12.12), new w (0.3776, −0.3936)', () => {
      const s = createTrainer({ ...BOOK, initWeight: Float32Array.of(0.05, -0.03) }).step();
      expect(s.loss).toBeCloseTo(11.0652, 4);
      expect(s.grad[0]).toBeCloseTo(-10.92, 4);
      expect(s.grad[1]).toBeCloseTo(12.12, 4);
      expect(s.weight[0]).toBeCloseTo(0.3776, 6);
      expect(s.weight[1]).toBeCloseTo(-0.3936, 6);
    });

    it('learns the bias only when asked, and lossAt evaluates any weights', () => {
      const frozen = createTrainer({ ...BOOK, initWeight: Float32Array.of(1, -1) });
      expect(frozen.lossAt(Float32Array.of(1, -1), 0)).toBe(0);
      expect(frozen.lossAt(Float32Array.of(1, -1), 0.5)).toBeCloseTo(42 * 0.25, 6);
      const learning = createTrainer({ ...BOOK, initWeight: Float32Array.of(1, -1), initBias: 0.5, learnBias: true });
      const s = learning.step();
      expect(s.biasGrad).toBeCloseTo(42, 5);
      expect(s.bias).toBeCloseTo(0.5 - 0.03 * 42, 5);
    });

    it('momentum changes the path but still converges', () => {
      const t = createTrainer({ ...BOOK, momentum: 0.5, iterations: 30, lr: 0.01 });
      let s = t.step();
      while (t.iteration < 30) s = t.step();
      expect(s.loss).toBeLessThan(0.01);
    });

    it('flipped (true convolution) learns the rotated kernel [−1, 1]', () => {
      const t = createTrainer({ ...BOOK, flip: true, iterations: 20 });
      let s = t.step();
      while (t.iteration < 20) s = t.step();
      expect(s.weight[0]).toBeCloseTo(-1, 1);
      expect(s.weight[1]).toBeCloseTo(1, 1);
    });

    it('refuses bad settings with clear messages', () => {
      expect(() => createTrainer({ ...BOOK, lr: 0 })).toThrow('learning rate must be a positive finite number, got 0');
      expect(() => createTrainer({ ...BOOK, lr: NaN })).toThrow('learning rate must be a positive finite number, got NaN');
      expect(() => createTrainer({ ...BOOK, iterations: 0 })).toThrow('iterations must be a whole number ≥ 1, got 0');
      expect(() => createTrainer({ ...BOOK, iterations: 100_001 })).toThrow('100001 iterations is above the limit of 100000');
      expect(() => createTrainer({ ...BOOK, kernel: [7, 2] })).toThrow('kernel 7×2 is larger than the input 6×8');
      expect(() => createTrainer({ ...BOOK, kernel: [2, 2] })).toThrow('y must be 1×1×5×7 (the 6×8 input less the 2×2 kernel, plus one), got 1×1×6×7');
      expect(() => createTrainer({ ...BOOK, initWeight: Float32Array.of(1) })).toThrow('initial weight has 1 values but a 1-channel 1×2 kernel needs 2');
      const t = createTrainer({ ...BOOK, iterations: 1 });
      t.step();
      expect(() => t.step()).toThrow('training already ran its 1 iterations');
    });
  });
});
