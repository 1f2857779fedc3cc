// The loss surface for the training panel: exact against the trainer's lossAt, the book's minimum at [1, −1].
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { createTrainer } from '../../core/index';
import { calls } from '../contract/contract';
import { fitQuadratic, evaluate, lossSurface, minimumOf, windowAround } from './loss-surface';

const bars = () => {
  const data = new Float32Array(48).fill(1);
  for (let y = 0; y < 6; y++) for (let x = 2; x < 6; x++) data[y * 8 + x] = 0;
  return { shape: [1, 1, 6, 8] as [1, number, number, number], data };
};
const edges = () => ({ shape: [1, 1, 6, 7] as [1, number, number, number], data: Float32Array.from(Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, -1, 0]).flat()) });
const book = { x: bars(), y: edges(), kernel: [1, 2] as [number, number], flip: false, bias: 0, include: [[0.05, -0.03]] as [number, number][], size: 64 };

describe('loss surface', () => {
  test('the fitted quadratic is the book’s L = 6[2(w0+w1)² + (w0−1)² + (w1+1)²], equal to lossAt anywhere', () => {
    const trainer = createTrainer({ x: bars(), y: edges(), kernel: [1, 2], learnBias: false, lr: 1, iterations: 1, flip: false });
    const q = fitQuadratic((a, b) => trainer.lossAt(Float32Array.of(a, b), 0));
    for (const [a, b] of [[0.3, -0.7], [2.5, 1.25], [-3, 0.5]]) {
      const exact = 6 * (2 * (a + b) ** 2 + (a - 1) ** 2 + (b + 1) ** 2);
      expect(evaluate(q, a, b)).toBeCloseTo(exact, 3);
      expect(evaluate(q, a, b)).toBeCloseTo(trainer.lossAt(Float32Array.of(a, b), 0), 3);
    }
    expect(minimumOf(q)).toEqual([expect.closeTo(1, 6), expect.closeTo(-1, 6)]);
  });

  test('a flat direction has no minimum; the window always holds its points in a square', () => {
    expect(minimumOf({ A: 1, B: 2, C: 1, D: 0, E: 0, F: 0 })).toBeNull();
    const { k1, k2 } = windowAround([[0, 0], [1, -1]]);
    expect(k1[1] - k1[0]).toBeCloseTo(k2[1] - k2[0], 12);
    expect(k1[0]).toBeLessThan(0);
    expect(k1[1]).toBeGreaterThan(1);
    expect(k2[0]).toBeLessThan(-1);
  });

  test('the grid shows the start and the minimum, its smallest value near [1, −1]', () => {
    const s = lossSurface(book);
    expect(s.values).toHaveLength(64 * 64);
    expect(s.minimum).toEqual([expect.closeTo(1, 5), expect.closeTo(-1, 5)]);
    let best = 0;
    for (let i = 1; i < s.values.length; i++) if (s.values[i] < s.values[best]) best = i;
    const k1 = s.k1[0] + (((best % 64) + 0.5) / 64) * (s.k1[1] - s.k1[0]);
    const k2 = s.k2[1] - ((Math.floor(best / 64) + 0.5) / 64) * (s.k2[1] - s.k2[0]);
    expect(Math.abs(k1 - 1)).toBeLessThan(0.1);
    expect(Math.abs(k2 + 1)).toBeLessThan(0.1);
    expect(s.k1[0]).toBeLessThan(0.05);
  });

  test('the contract refuses what the surface cannot show, naming the problem', () => {
    const issues = (request: unknown) => {
      const parsed = v.safeParse(calls.lossSurface.request, request);
      return parsed.success ? [] : parsed.issues.map((i) => i.message);
    };
    expect(issues(book)).toEqual([]);
    expect(issues({ ...book, kernel: [1, 3] })).toContain('kernel (width) must be at most 2');
    expect(issues({ ...book, kernel: [2, 2] })).toContain('the loss surface needs a kernel with exactly two weights');
    expect(issues({ ...book, kernel: [1, 1] })).toContain('the loss surface needs a kernel with exactly two weights');
    expect(issues({ ...book, include: [[Infinity, 0]] })).toContain('point k1 must be finite');
    const tiny = { ...book, x: { shape: [1, 1, 1, 1], data: new Float32Array(1) } };
    expect(issues(tiny)).toContain('kernel 1×2 is larger than the input 1×1');
    const train = { x: tiny.x, y: tiny.x, kernel: [1, 2], learnBias: false, lr: 0.03, iterations: 10, flip: false, pace: 0 };
    expect(v.safeParse(calls.trainStart.request, train).issues?.map((i) => i.message)).toContain('kernel 1×2 is larger than the input 1×1');
  });
});
