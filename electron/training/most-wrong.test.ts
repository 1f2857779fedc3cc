import { describe, expect, it } from 'vitest';
import { MostWrong } from './most-wrong';

/** Logits giving the true class `label` the probability `p` and class `other` the rest, of 3 classes. */
function logitsFor(label: number, other: number, p: number): number[] {
  const logits = [-50, -50, -50];
  logits[label] = Math.log(p);
  logits[other] = Math.log(1 - p);
  return logits;
}

describe('MostWrong', () => {
  it('keeps the images with the lowest true-class probability, worst first, at most its limit', () => {
    const worst = new MostWrong(3);
    const truths = [0.9, 0.2, 0.05, 0.6, 0.01, 0.3, 0.5];
    truths.forEach((p, index) => worst.offer(index, 0, logitsFor(0, 2, p)));
    const list = worst.list();
    expect(list.map((w) => w.index)).toEqual([4, 2, 1]);
    expect(list.map((w) => w.trueProbability)).toEqual([0.01, 0.05, 0.2].map((p) => expect.closeTo(p, 6)));
    expect(list.every((w) => w.label === 0 && w.predicted === 2)).toBe(true);
    expect(list[0].probability).toBeCloseTo(0.99, 6);
  });

  it('stays sorted and bounded over many offers, and survives huge logits', () => {
    const worst = new MostWrong(12);
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 1000; i++) worst.offer(i, i % 3, [random() * 2000, random() * 2000, random() * 2000]);
    const list = worst.list();
    expect(list).toHaveLength(12);
    for (let k = 1; k < list.length; k++) expect(list[k].trueProbability).toBeGreaterThanOrEqual(list[k - 1].trueProbability);
    expect(list.every((w) => Number.isFinite(w.probability) && Number.isFinite(w.trueProbability))).toBe(true);
  });

  it('returns fewer when fewer images were offered, and copies so the list cannot be changed from outside', () => {
    const worst = new MostWrong(12);
    worst.offer(5, 1, [0, 3, 1]);
    const list = worst.list();
    expect(list).toEqual([expect.objectContaining({ index: 5, label: 1, predicted: 1 })]);
    list[0].index = 99;
    expect(worst.list()[0].index).toBe(5);
  });
});
