import { describe, expect, it } from 'vitest';
import { colourOf, paintPixels, prefersDarkText } from './colormap';

const luminance = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

describe('the colour scale in both themes', () => {
  it('paints zero white on a light window and dark grey on a dark one, never a bright slab', () => {
    expect(luminance(colourOf(0, { limit: 1 }))).toBeGreaterThan(240);
    expect(luminance(colourOf(0, { limit: 1 }, 'dark'))).toBeLessThan(60);
  });
  it('keeps the sign readable: red above zero, blue below, in both', () => {
    for (const theme of ['light', 'dark'] as const) {
      const [r1, , b1] = colourOf(1, { limit: 1 }, theme);
      const [r2, , b2] = colourOf(-1, { limit: 1 }, theme);
      expect(r1).toBeGreaterThan(b1);
      expect(b2).toBeGreaterThan(r2);
    }
  });
  it('paints pixels from the theme’s table and picks light text on dark cells', () => {
    const out = new Uint8ClampedArray(4);
    paintPixels([0], { limit: 1 }, out, 'dark');
    expect([...out.slice(0, 3)]).toEqual(colourOf(0, { limit: 1 }, 'dark'));
    expect(prefersDarkText(0, { limit: 1 }, 'dark')).toBe(false);
    expect(prefersDarkText(0, { limit: 1 })).toBe(true);
  });
  it('paints every cell in the colour of its value, whole pixels at once or byte by byte, and marks what is not finite', () => {
    const values = [0, 0.5, -0.5, 2, -2, 1e-30, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.123, -0.777];
    const scale = { limit: 2 };
    for (const theme of ['light', 'dark'] as const) {
      const aligned = new Uint8ClampedArray(values.length * 4);
      const unaligned = new Uint8ClampedArray(new ArrayBuffer(values.length * 4 + 1), 1, values.length * 4);
      paintPixels(values, scale, aligned, theme);
      paintPixels(values, scale, unaligned, theme);
      expect([...unaligned]).toEqual([...aligned]);
      values.forEach((v, i) => {
        const expected = Number.isFinite(v) ? colourOf(v, scale, theme) : [255, 0, 255];
        const got = [...aligned.slice(i * 4, i * 4 + 4)];
        // The table holds 511 steps of the scale: within one step of the exact colour, always opaque.
        got.slice(0, 3).forEach((c, k) => expect(Math.abs(c - expected[k])).toBeLessThanOrEqual(1));
        expect(got[3]).toBe(255);
      });
    }
  });
});
