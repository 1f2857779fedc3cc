import { describe, expect, test } from 'vitest';
import { decodeMessage, encodeMessage } from './wire';

describe('wire codec', () => {
  test('round-trips nested Float32Arrays bit for bit, next to plain JSON', () => {
    const a = Float32Array.from([1.5, -0, 3.4028234663852886e38, 1e-45]);
    const b = Float32Array.from([0.1, 0.2]);
    const message = { id: 7, call: 'forward', request: { input: { shape: [1, 1, 2, 2], data: a }, more: [b, 'x'] } };
    const back = decodeMessage(encodeMessage(message)) as typeof message;
    expect(back.id).toBe(7);
    expect(back.request.input.shape).toEqual([1, 1, 2, 2]);
    expect(back.request.input.data).toBeInstanceOf(Float32Array);
    expect(Array.from(back.request.input.data)).toEqual(Array.from(a));
    expect(Object.is(back.request.input.data[1], -0)).toBe(true);
    expect(Array.from(back.request.more[0] as Float32Array)).toEqual(Array.from(b));
  });

  test('round-trips bytes, of any length and value', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    const back = decodeMessage(encodeMessage({ pixels: bytes, empty: new Uint8Array(0) })) as { pixels: Uint8Array; empty: Uint8Array };
    expect(back.pixels).toBeInstanceOf(Uint8Array);
    expect(back.pixels).toEqual(bytes);
    expect(back.empty).toEqual(new Uint8Array(0));
    expect(() => decodeMessage(encodeMessage({ x: { $u8: 5 } }))).toThrow(/bad bytes reference/);
  });

  test('refuses references that point outside the message', () => {
    const bytes = encodeMessage({ data: new Float32Array(2) });
    const truncated = bytes.subarray(0, bytes.length - 4);
    expect(() => decodeMessage(truncated)).toThrow(/outside the message/);
    expect(() => decodeMessage(new Uint8Array(2))).toThrow(/too short/);
  });
});
