/**
 * The test images a net gets most wrong: those whose true class gets the lowest softmax probability, kept in a
 * bounded list during the test pass (one insertion per image, never the whole set sorted).
 */
import type { NetWrongImage } from '../contract/net-contract';

export class MostWrong {
  private readonly kept: NetWrongImage[] = [];

  constructor(private readonly limit: number) {}

  /** One image's logits (any scale): kept if its true class is among the `limit` least probable so far. */
  offer(index: number, label: number, logits: ArrayLike<number>): void {
    let top = 0, max = -Infinity;
    for (let c = 0; c < logits.length; c++) {
      if (logits[c] > max) {
        max = logits[c];
        top = c;
      }
    }
    // Softmax with the largest logit subtracted, so large logits cannot overflow.
    let sum = 0;
    for (let c = 0; c < logits.length; c++) sum += Math.exp(logits[c] - max);
    const trueProbability = Math.exp(logits[label] - max) / sum;
    if (this.kept.length === this.limit && !(trueProbability < this.kept[this.limit - 1].trueProbability)) return;
    const entry: NetWrongImage = { index, label, predicted: top, probability: 1 / sum, trueProbability };
    let at = this.kept.length;
    while (at > 0 && this.kept[at - 1].trueProbability > trueProbability) at--;
    this.kept.splice(at, 0, entry);
    if (this.kept.length > this.limit) this.kept.pop();
  }

  /** Worst first: the lowest true-class probability leads. */
  list(): NetWrongImage[] {
    return this.kept.map((w) => ({ ...w }));
  }
}
