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
});
