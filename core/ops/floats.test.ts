import { describe, expect, test } from 'vitest';
import { floats, inSlab, recycling, releaseRecycled } from './floats';

describe('recycled op arrays', () => {
  test('inside recycling, an array of a length an earlier scope used comes back, zero-filled', () => {
    releaseRecycled();
    const first = recycling(() => {
      const a = floats(1000);
      a.fill(7);
      return a;
    });
    const again = recycling(() => floats(1000));
    expect(again).toBe(first);
    expect(again.every((v) => v === 0)).toBe(true);
    // Another length is a fresh array.
    expect(recycling(() => floats(999))).not.toBe(first);
  });

  test('outside recycling, and twice within one scope, every array is its own', () => {
    releaseRecycled();
    recycling(() => floats(64));
    expect(floats(64)).not.toBe(floats(64));
    recycling(() => expect(floats(64)).not.toBe(floats(64)));
  });

  test('a nested scope hands its arrays back only when the outermost one ends', () => {
    releaseRecycled();
    recycling(() => {
      const inner = recycling(() => floats(32));
      expect(floats(32)).not.toBe(inner);
    });
  });

  test('an array given away (its buffer detached by a transfer) is not kept', () => {
    releaseRecycled();
    const a = recycling(() => {
      const b = floats(1000);
      structuredClone(b.buffer, { transfer: [b.buffer] });
      return b;
    });
    expect(a.byteLength).toBe(0);
    expect(recycling(() => floats(1000)).length).toBe(1000);
  });

  test('small arrays are zeroed views of a shared slab, each its own values; large ones own their buffer', () => {
    releaseRecycled();
    const small = Array.from({ length: 40 }, (_, i) => floats(1 + (i % 64)));
    for (const [i, a] of small.entries()) {
      expect(a.every((v) => v === 0)).toBe(true);
      expect(inSlab(a)).toBe(true);
      a.fill(i + 1);
    }
    // Writing each did not touch any other.
    for (const [i, a] of small.entries()) expect(a.every((v) => v === i + 1)).toBe(true);
    const large = floats(65);
    expect(inSlab(large)).toBe(false);
    expect(large.byteLength).toBe(large.buffer.byteLength);
  });

  test('a small array handed back by recycling is reused zero-filled, and cloning it copies its own values', () => {
    releaseRecycled();
    const first = recycling(() => floats(42).fill(3));
    const again = recycling(() => floats(42));
    expect(again).toBe(first);
    expect(again.every((v) => v === 0)).toBe(true);
    again.fill(5);
    const clone = structuredClone(again);
    expect(Array.from(clone)).toEqual(new Array(42).fill(5));
  });
});
