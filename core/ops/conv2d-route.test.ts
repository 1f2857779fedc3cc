import { describe, expect, it } from 'vitest';
import { conv2dForwardRoute, conv2dWindowRule } from './conv2d-route';
import { WINOGRAD_TILES } from './conv2d-winograd';
import { onEachKernelPath } from '../test-support/kernel-paths';

/** OIHW weights of the lab's and the book's convolutions: few and many channels, 1×1 to 5×5. */
const WEIGHTS = [
  [1, 1, 3, 3], [2, 3, 3, 3], [3, 1, 3, 3], [4, 4, 3, 3], [8, 2, 3, 3], [6, 1, 5, 5], [16, 6, 5, 5], [16, 16, 3, 3],
  [8, 8, 1, 1], [32, 16, 3, 3], [3, 3, 5, 5],
];
const SETTINGS = [
  { stride: 1, padding: 1, dilation: 1 }, { stride: 1, padding: 0, dilation: 1 }, { stride: 2, padding: 1, dilation: 1 },
  { stride: 1, padding: 2, dilation: 2 },
];
const SIDES = [8, 9, 12, 16, 23, 32, 40];

/** The input side whose output is `out` cells along an axis. */
const inputFor = (out: number, k: number, s: number, p: number, d: number) => (out - 1) * s + (k - 1) * d + 1 - 2 * p;

describe('conv2d\'s window rule agrees with its routes (the incremental stack relies on it)', () => {
  it('aligns windows to every Winograd tile conv2d takes', () => {
    for (const w of WEIGHTS) for (const tile of WINOGRAD_TILES) expect(conv2dWindowRule(w).tile % tile).toBe(0);
  });

  onEachKernelPath((path) => {
    it('sends a strip of rows as wide as the map, minSide rows tall, down the route of a map at least minSide a side', () => {
      for (const w of WEIGHTS) {
        const { minSide } = conv2dWindowRule(w);
        for (const { stride: s, padding: p, dilation: d } of SETTINGS) {
          for (const oh of SIDES) for (const ow of SIDES) {
            if (oh < minSide || ow < minSide) continue;
            const h = inputFor(oh, w[2], s, p, d), wd = inputFor(ow, w[3], s, p, d);
            if (h < 1 || wd < 1) continue;
            const map = conv2dForwardRoute([1, w[1], h, wd], w, { stride: s, padding: p, dilation: d });
            if (map === 'tiny') continue;
            const strip = conv2dForwardRoute([1, w[1], inputFor(minSide, w[2], s, 0, d), inputFor(ow, w[3], s, 0, d)], w, { stride: s, dilation: d });
            expect(strip, `${path}: weights ${w.join('×')}, output ${oh}×${ow}, stride ${s}, padding ${p}, dilation ${d}`).toBe(map);
            // The TypeScript kernels choose by size alone: a square window minSide a side takes the map's route too.
            if (path === 'ts') {
              const square = conv2dForwardRoute([1, w[1], inputFor(minSide, w[2], s, 0, d), inputFor(minSide, w[3], s, 0, d)], w, { stride: s, dilation: d });
              expect(square, `weights ${w.join('×')}, output ${oh}×${ow}`).toBe(map);
            }
          }
        }
      }
    });

    it('calls a window inexact exactly when the map may take the direct loops, which round by column', () => {
      for (const w of WEIGHTS) {
        const map = conv2dForwardRoute([1, w[1], 40, 40], w, { padding: 1 });
        const direct = map === 'direct' || map === 'wasm-direct';
        if (direct) expect(conv2dWindowRule(w).exact, `weights ${w.join('×')}`).toBe(false);
        if (path === 'ts') expect(conv2dWindowRule(w).exact, `weights ${w.join('×')}`).toBe(!direct);
      }
    });
  });
});
