import { describe, expect, it } from 'vitest';
import { viewSvg, type ViewModel } from './view-image';

const model: ViewModel = {
  title: 'Untitled lab',
  cell: 40,
  maxWidth: 1600,
  stages: [
    { title: 'Input', shape: '3 × 3', columns: 1, scale: { limit: 8 }, maps: [{ data: [0, 1, 2, 3, 4, 5, 6, 7, 8], height: 3, width: 3, boxes: [{ top: 0, left: 0, bottom: 1, right: 1, kind: 'window' }] }] },
    { title: 'Layer 1: convolution', shape: '1 × 2 × 2', columns: 1, scale: { limit: 43 }, maps: [{ data: [19, 25, 37, 43], height: 2, width: 2, boxes: [{ top: 0, left: 0, bottom: 0, right: 0, kind: 'pinned' }] }] },
  ],
};

describe('viewSvg', () => {
  const { svg, width, height } = viewSvg(model);
  it('has the title, every stage’s title and shape, and a legend with the scale’s ends', () => {
    expect(svg).toContain('>Untitled lab<');
    expect(svg).toContain('Input<tspan');
    expect(svg).toContain('Layer 1: convolution<tspan');
    expect(svg).toContain('>1 × 2 × 2<');
    expect(svg).toContain('>-43.<');
    expect(svg).toContain('>43.<');
  });
  it('writes the numbers where they fit, and draws the outlines', () => {
    for (const n of ['19.', '25.', '37.', '43.']) expect(svg).toContain(`>${n}</text>`);
    expect(svg).toContain('data-box="window"');
    expect(svg).toContain('data-box="pinned"');
  });
  it('places stages side by side within the width', () => {
    expect(width).toBeGreaterThan(2 * 120);
    expect(width).toBeLessThanOrEqual(1600);
    expect(height).toBeGreaterThan(120);
  });
  it('wraps stages to a new row when the width is small', () => {
    const narrow = viewSvg({ ...model, maxWidth: 300 });
    expect(narrow.height).toBeGreaterThan(height);
  });
});
