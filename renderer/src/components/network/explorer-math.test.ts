import { describe, expect, test } from 'vitest';
import { durationText, fieldBox, networkInput, resizeSquare, tupleText } from './explorer-math';

describe('explorer arithmetic', () => {
  test('resizing keeps a constant image constant and a 2×2 image’s corners at 4×4', () => {
    expect(Array.from(resizeSquare({ channels: 1, height: 3, width: 5, data: new Float32Array(15).fill(0.5) }, 7))).toEqual(new Array(49).fill(0.5));
    const r = resizeSquare({ channels: 1, height: 2, width: 2, data: Float32Array.of(0, 1, 2, 3) }, 4);
    expect([r[0], r[3], r[12], r[15]]).toEqual([0, 1, 2, 3]);
    expect(r[1]).toBeCloseTo(0.25);
    // RGB stays three channels, each resized on its own; another count gives its first channel.
    const rgb = { channels: 3, height: 1, width: 1, data: Float32Array.of(0.1, 0.5, 0.9) };
    expect(Array.from(networkInput(rgb, 2)).map((v) => Math.round(v * 10) / 10)).toEqual([0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 0.9]);
    expect(networkInput({ ...rgb, channels: 2, data: Float32Array.of(0.2, 0.4) }, 1)).toEqual(Float32Array.of(0.2));
  });

  test("a unit's field box follows u + i·j and is clipped to the image", () => {
    // GoogLeNet at 96, after its first Inception block: r = 59, j = 8, u = −29 per axis.
    const field = { size: [59, 59] as [number, number], jump: [8, 8] as [number, number], start: [-29, -29] as [number, number] };
    expect(fieldBox(field, 0, 0, 96)).toEqual({ top: 0, left: 0, bottom: 29, right: 29 });
    expect(fieldBox(field, 6, 3, 96)).toEqual({ top: 19, left: 0, bottom: 77, right: 53 });
    expect(fieldBox({ size: [1, 1], jump: [1, 1], start: [-2, -2] }, 0, 0, 8)).toBeNull();
    expect(tupleText([1, 64, 56, 56])).toBe('(1, 64, 56, 56)');
  });
});

describe('durationText', () => {
  test('picks the unit that reads best: seconds below 2 min, minutes below 2 h, hours below 2 days, then days', () => {
    const t = (key: string, values: Record<string, unknown>) => `${String(values.n)} ${key.split('.').at(-1)}`;
    expect([59.6, 119, 120, 7199, 7200, 172_799, 172_800].map((s) => durationText(s, t))).toEqual([
      '60 seconds', '119 seconds', '2 minutes', '120 minutes', '2.0 hours', '48.0 hours', '2.0 days',
    ]);
  });
});
