import { describe, expect, it } from 'vitest';
import type { Pair } from './geometry';
import { analyticBox, clipBox, receptiveFields, walkedBoxes, type RfLayer } from './receptive-field';

const conv = (k: number, s = 1, p = 0, d = 1): RfLayer => ({ kernel: [k, k], stride: [s, s], padding: [p, p], dilation: [d, d] });

/** AlexNet as in d2l 5.6, up to conv5. */
const ALEXNET = [conv(11, 4), conv(3, 2), conv(5, 1, 2), conv(3, 2), conv(3, 1, 1), conv(3, 1, 1), conv(3, 1, 1)];
const ALEX_SIZES: Pair[] = [[224, 224], [54, 54], [26, 26], [26, 26], [12, 12], [12, 12], [12, 12]];

describe('receptive-field arithmetic (Araujo et al., Distill 2019)', () => {
  it('holds its doc comment: two 3×3 convolutions → size 5, jump 1, start 0', () => {
    const f = receptiveFields([conv(3), conv(3)])[1];
    expect([f.size, f.jump, f.start]).toEqual([[5, 5], [1, 1], [0, 0]]);
  });

  it('AlexNet conv5: size 163, jump 16, start −64, effective padding 64', () => {
    const f = receptiveFields(ALEXNET)[6];
    expect(f).toEqual({ size: [163, 163], jump: [16, 16], start: [-64, -64], center: [17, 17], effectivePadding: [64, 64] });
  });

  it('counts dilation as a wider kernel: 3×3 at dilation 1, 2, 4 → 15', () => {
    expect(receptiveFields([conv(3), conv(3, 1, 0, 2), conv(3, 1, 0, 4)])[2].size).toEqual([15, 15]);
  });

  it('keeps the axes apart', () => {
    const f = receptiveFields([
      { kernel: [1, 3], stride: [1, 2], padding: [0, 0], dilation: [1, 1] },
      { kernel: [3, 1], stride: [2, 1], padding: [1, 0], dilation: [1, 1] },
    ])[1];
    expect([f.size, f.jump, f.start, f.center]).toEqual([[3, 3], [2, 2], [-1, 0], [0, 1]]);
  });
});

describe('boxes', () => {
  it('AlexNet conv5\'s bottom-right unit never reads past row 218, though the clipped formula says 223', () => {
    const f = receptiveFields(ALEXNET)[6];
    const a = analyticBox(f, 11, 11);
    expect(a).toEqual({ top: 112, left: 112, bottom: 274, right: 274 });
    expect(clipBox(a, 224, 224)).toEqual({ top: 112, left: 112, bottom: 223, right: 223 });
    const boxes = walkedBoxes(ALEXNET, ALEX_SIZES, 6, 11, 11);
    expect(boxes).toHaveLength(7);
    expect(boxes[0]).toEqual({ top: 112, left: 112, bottom: 218, right: 218 });
    // boxes[6] is the 3×3 window in conv4's output, clipped at its edge.
    expect(boxes[6]).toEqual({ top: 10, left: 10, bottom: 11, right: 11 });
  });

  it('a window that reads only padding has an empty box, and so does everything under it', () => {
    const boxes = walkedBoxes([conv(1, 1, 2), conv(1)], [[2, 3], [6, 7]], 1, 0, 0);
    expect(boxes[1]).toEqual({ top: 0, left: 0, bottom: 0, right: 0 });
    expect(boxes[0].bottom).toBeLessThan(boxes[0].top);
  });
});
