import { describe, expect, test } from 'vitest';
import { changedRuns, decodeMessage, encodeMessage, encodeParts, joinParts, type DeltaBase } from './wire';

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
    expect(() => decodeMessage(encodeMessage({ x: { $u8: 5 } }))).toThrow(/bad array reference/);
  });

  test('refuses references that point outside the message', () => {
    const bytes = encodeMessage({ data: new Float32Array(2) });
    const truncated = bytes.subarray(0, bytes.length - 4);
    expect(() => decodeMessage(truncated)).toThrow(/outside the message/);
    expect(() => decodeMessage(new Uint8Array(2))).toThrow(/too short/);
  });
});

describe('wire codec: bytes', () => {
  test('carries a Uint8Array as raw bytes (a lab file), beside floats, unescaped', () => {
    const file = new TextEncoder().encode('{"type":"convlab","q":"\\u0000\\"\n"}');
    const floats = Float32Array.from([1, 2, 3]);
    const encoded = encodeMessage({ id: 1, request: { text: file, odd: new Uint8Array(3), floats } });
    // Raw: the header holds references, not the file's characters (no escaping that could swell it).
    expect(new TextDecoder().decode(encoded).includes('convlab')).toBe(true);
    expect(encoded.byteLength).toBeLessThan(100 + file.byteLength + 4 + 3 + 1 + 12);
    const back = decodeMessage(encoded) as { request: { text: Uint8Array; odd: Uint8Array; floats: Float32Array } };
    expect(back.request.text).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.request.text)).toEqual(Array.from(file));
    expect(back.request.odd).toEqual(new Uint8Array(3));
    expect(Array.from(back.request.floats)).toEqual([1, 2, 3]);
  });
});

describe('wire codec: long text', () => {
  test('a long text (a lab\'s JSON, quotes and all) travels as its UTF-8 bytes, not escaped into the header, and comes back the same', () => {
    const text = `{"type":"convlab","lab":{"data":"${'AB"\\é中'.repeat(40_000)}"}}`;
    const encoded = encodeMessage({ id: 2, result: { ok: true, value: { text, fileName: 'a.convlab.json' } } });
    const headerLength = new DataView(encoded.buffer).getUint32(0, true);
    expect(headerLength).toBeLessThan(200);
    expect(encoded.byteLength).toBeLessThan(headerLength + new TextEncoder().encode(text).byteLength + 8);
    expect(decodeMessage(encoded)).toEqual({ id: 2, result: { ok: true, value: { text, fileName: 'a.convlab.json' } } });
    // Short text stays in the header; a reference past the end is refused by name.
    expect(decodeMessage(encodeMessage({ text: 'short "one"' }))).toEqual({ text: 'short "one"' });
    const header = new TextEncoder().encode(JSON.stringify({ text: { $str: [0, 10] } }));
    const forged = new Uint8Array(4 + header.length);
    new DataView(forged.buffer).setUint32(0, header.length, true);
    forged.set(header, 4);
    expect(() => decodeMessage(forged)).toThrow('text reference outside the message');
  });
});

describe('wire codec: deltas', () => {
  const roundTrip = (message: unknown, sent: DeltaBase, received: DeltaBase) => {
    const bytes = encodeMessage(message, sent);
    return { bytes, back: decodeMessage(bytes, false, received) as { maps: Float32Array[] } };
  };

  test('after a first whole answer, only the changed runs travel, and the page rebuilds every map bit for bit', () => {
    const sent: DeltaBase = [];
    const received: DeltaBase = [];
    const a = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: 4_000 }, (_, i) => i / 7);
    const first = roundTrip({ maps: [a, b] }, sent, received);
    expect(Array.from(first.back.maps[0])).toEqual(Array.from(a));
    const a2 = a.slice();
    a2[17] = -0;
    a2[5000] = Number.NaN;
    a2[5001] = 42;
    const b2 = b.slice();
    b2[3999] = 1e-45;
    const second = roundTrip({ maps: [a2, b2] }, sent, received);
    expect(second.bytes.byteLength).toBeLessThan(1000);
    expect(new Uint8Array(second.back.maps[0].buffer)).toEqual(new Uint8Array(a2.buffer));
    expect(new Uint8Array(second.back.maps[1].buffer)).toEqual(new Uint8Array(b2.buffer));
    // What the caller was handed is its own: changing it leaves the base, and the next delta, intact.
    second.back.maps[0].fill(7);
    const a3 = a2.slice();
    a3[0] = 3;
    const third = roundTrip({ maps: [a3, b2] }, sent, received);
    expect(new Uint8Array(third.back.maps[0].buffer)).toEqual(new Uint8Array(a3.buffer));
  });

  test('an array whose size changed, or that changed mostly, is sent whole', () => {
    const sent: DeltaBase = [];
    const received: DeltaBase = [];
    roundTrip({ maps: [new Float32Array(100)] }, sent, received);
    const bigger = Float32Array.from({ length: 200 }, (_, i) => i);
    const resized = roundTrip({ maps: [bigger] }, sent, received);
    expect(resized.bytes.byteLength).toBeGreaterThan(800);
    expect(Array.from(resized.back.maps[0])).toEqual(Array.from(bigger));
    const changed = bigger.map((v) => v + 1);
    const most = roundTrip({ maps: [changed] }, sent, received);
    expect(most.bytes.byteLength).toBeGreaterThan(800);
    expect(Array.from(most.back.maps[0])).toEqual(Array.from(changed));
    expect(changedRuns(changed, changed)).toEqual([]);
  });

  test('a decoder without a base, or without the array a delta refers to, refuses it by name', () => {
    const sent: DeltaBase = [];
    const whole = encodeMessage({ maps: [new Float32Array(64)] }, sent);
    expect(() => decodeMessage(whole)).toThrow(/bad array reference/);
    const next = new Float32Array(64);
    next[3] = 1;
    const delta = encodeMessage({ maps: [next] }, sent);
    expect(() => decodeMessage(delta, false, [])).toThrow(/does not have/);
  });
});

describe('a message in parts', () => {
  test('is the same bytes as the message, with each array sent as its own bytes, not a copy', () => {
    const map = Float32Array.from({ length: 1000 }, (_, i) => i);
    const tag = Uint8Array.from([1, 2, 3]);
    const message = { id: 7, result: { ok: true, value: { outputs: [{ shape: [1, 1, 10, 100], data: map }], tag } } };
    const parts = encodeParts(message);
    expect(joinParts(parts)).toEqual(encodeMessage(message));
    expect(parts.some((part) => part.buffer === map.buffer)).toBe(true);
    expect(parts.some((part) => part.buffer === tag.buffer)).toBe(true);
    expect(decodeMessage(joinParts(parts))).toEqual(message);
  });
});
