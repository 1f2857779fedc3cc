/** Seeded shuffling and batching of a labelled image set, into reusable float buffers scaled to [0, 1]. */
import type { LabelledImages } from './idx';

/** Fisher–Yates shuffle of `order` in place, drawing from `next` (a seeded uniform source in [0, 1)). */
export function shuffleInPlace(order: Uint32Array, next: () => number): Uint32Array {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** 0, 1, …, n − 1. */
export function identityOrder(n: number): Uint32Array {
  const o = new Uint32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  return o;
}

/** Number of batches of `size` that cover `n` items, the last one short (Gluon's last_batch='keep'). */
export function batchCount(n: number, size: number): number {
  return Math.ceil(n / size);
}

/**
 * Copies the images order[start … start + count − 1] into `x` as floats ÷ 255 (ToTensor, no normalisation) and
 * their labels into `labels`. Both buffers are reused across batches; only the first `count` items are written.
 */
export function fillBatch(set: LabelledImages, order: Uint32Array, start: number, count: number, x: Float32Array, labels: Int32Array): void {
  const size = set.rows * set.cols, px = set.pixels;
  for (let b = 0; b < count; b++) {
    const item = order[start + b], src = item * size, dst = b * size;
    for (let i = 0; i < size; i++) x[dst + i] = px[src + i] / 255;
    labels[b] = set.labels[item];
  }
}
