import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../errors';
import { LIMITS } from '../limits';
import { batchCount, fillBatch, identityOrder, shuffleInPlace } from './batches';
import { pairIdx, readIdxImages, readIdxLabels } from './idx';
import { mulberry32 } from '../random';

/** An IDX file: big-endian magic, big-endian sizes, then `payload` bytes. */
function idx(magic: number, sizes: number[], payload: number[] | Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * sizes.length);
  const view = new DataView(head.buffer);
  view.setUint32(0, magic);
  sizes.forEach((s, i) => view.setUint32(4 + 4 * i, s));
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

const pixels = (n: number) => Array.from({ length: n }, (_, i) => i % 256);
const goodImages = () => idx(0x803, [2, 3, 4], pixels(24));
const goodLabels = () => idx(0x801, [2], [7, 0]);

describe('IDX reader', () => {
  it('reads images and labels, and pairs them', () => {
    const im = readIdxImages(goodImages(), 'a-images');
    expect([im.count, im.rows, im.cols]).toEqual([2, 3, 4]);
    expect(Array.from(im.pixels.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    const lb = readIdxLabels(goodLabels(), 'a-labels');
    expect(Array.from(lb.labels)).toEqual([7, 0]);
    expect(pairIdx(im, lb, 'a-images', 'a-labels').labels[0]).toBe(7);
  });

  // A corpus of malformed files, each refused with a message naming the file and the rule it breaks.
  const images: [string, () => Uint8Array, string][] = [
    ['an empty file', () => new Uint8Array(0), 'bad-images: is 0 bytes long, too short for an IDX magic number'],
    ['three bytes', () => Uint8Array.of(0, 0, 8), 'bad-images: is 3 bytes long, too short for an IDX magic number'],
    ['a label file given as images', goodLabels, 'bad-images: magic number 0x00000801 is not that of an IDX images file (0x00000803: unsigned bytes, 3 dimensions)'],
    ['signed bytes', () => idx(0x903, [1, 1, 1], [0]), 'magic number 0x00000903 is not that of an IDX images file'],
    ['four dimensions', () => idx(0x804, [1, 1, 1, 1], [0]), 'magic number 0x00000804'],
    ['a PNG', () => Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0), 'magic number 0x89504e47'],
    ['a header cut short', () => goodImages().subarray(0, 12), 'bad-images: is truncated: 12 bytes, but an IDX images header takes 16'],
    ['no images', () => idx(0x803, [0, 28, 28], []), 'bad-images: holds no images'],
    ['too many images', () => idx(0x803, [LIMITS.maxDatasetItems + 1, 1, 1], []), `holds ${LIMITS.maxDatasetItems + 1} images, above the limit of ${LIMITS.maxDatasetItems}`],
    ['zero rows', () => idx(0x803, [1, 0, 28], []), 'images of 0×28 pixels have no pixels'],
    ['images too large', () => idx(0x803, [1, 65, 28], []), `images of 65×28 pixels are above the limit of ${LIMITS.maxDatasetImageSide}×${LIMITS.maxDatasetImageSide}`],
    ['pixels cut short', () => goodImages().subarray(0, 30), 'bad-images: is truncated: the header promises 2 images of 3×4 (24 bytes of data) but only 14 follow'],
    ['bytes past the data', () => idx(0x803, [2, 3, 4], pixels(25)), 'bad-images: has 1 bytes after the 24 bytes of data its header promises (2 images of 3×4)'],
  ];
  for (const [what, bytes, message] of images) {
    it(`refuses an image file with ${what}`, () => {
      let err: unknown;
      try { readIdxImages(bytes(), 'bad-images'); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ConvLabError);
      expect((err as ConvLabError).code).toBe('format');
      expect((err as ConvLabError).message).toContain(message);
      expect((err as ConvLabError).message.startsWith('bad-images: ')).toBe(true);
    });
  }

  const labels: [string, () => Uint8Array, string][] = [
    ['an image file given as labels', goodImages, 'bad-labels: magic number 0x00000803 is not that of an IDX labels file (0x00000801: unsigned bytes, 1 dimension)'],
    ['a label of 10', () => idx(0x801, [3], [1, 10, 2]), 'bad-labels: label 10 at index 1 is not a class 0–9'],
    ['a label of 255', () => idx(0x801, [1], [255]), 'label 255 at index 0 is not a class 0–9'],
    ['labels cut short', () => idx(0x801, [5], [1, 2]), 'bad-labels: is truncated: the header promises 5 labels (5 bytes of data) but only 2 follow'],
    ['a header cut short', () => goodLabels().subarray(0, 6), 'bad-labels: is truncated: 6 bytes, but an IDX labels header takes 8'],
    ['no labels', () => idx(0x801, [0], []), 'bad-labels: holds no labels'],
  ];
  for (const [what, bytes, message] of labels) {
    it(`refuses a label file with ${what}`, () => {
      expect(() => readIdxLabels(bytes(), 'bad-labels')).toThrow(message);
    });
  }

  it('refuses images and labels of different counts, naming both files', () => {
    const im = readIdxImages(goodImages(), 'x-images'), lb = readIdxLabels(idx(0x801, [3], [1, 2, 3]), 'x-labels');
    expect(() => pairIdx(im, lb, 'x-images', 'x-labels')).toThrow('x-images holds 2 images but x-labels holds 3 labels');
  });
});

describe('batches', () => {
  it('shuffles reproducibly from a seed, into a permutation', () => {
    const a = shuffleInPlace(identityOrder(100), mulberry32(3)), b = shuffleInPlace(identityOrder(100), mulberry32(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(identityOrder(100)));
    expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from(identityOrder(100)));
  });

  it("counts the book's 235 batches of 60,000 (the last of 96) and fills a batch scaled to [0, 1]", () => {
    expect(batchCount(60_000, 256)).toBe(235);
    expect(60_000 - 234 * 256).toBe(96);
    const set = { ...readIdxImages(idx(0x803, [2, 1, 2], [0, 255, 51, 102]), 'i'), labels: Uint8Array.of(4, 9) };
    const x = new Float32Array(4), l = new Int32Array(2);
    fillBatch(set, Uint32Array.of(1, 0), 0, 2, x, l);
    expect(Array.from(x)).toEqual([0.2, 0.4, 0, 1].map(Math.fround));
    expect(Array.from(l)).toEqual([9, 4]);
  });
});
