import { describe, expect, test } from 'vitest';
import { floats, recycling, releaseRecycled } from './floats';

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
      const b = floats(16);
      structuredClone(b.buffer, { transfer: [b.buffer] });
      return b;
    });
    expect(a.byteLength).toBe(0);
    expect(recycling(() => floats(16)).length).toBe(16);
  });
});
