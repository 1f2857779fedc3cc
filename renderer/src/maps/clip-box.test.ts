import { describe, expect, it } from 'vitest';
import { clipBox } from './clip-box';

describe('clipBox', () => {
  it('keeps a box that lies inside the map as it is', () => {
    expect(clipBox({ top: 1, left: 2, bottom: 3, right: 2 }, 5, 5)).toEqual({ top: 1, left: 2, rows: 3, cols: 1 });
  });
  it('cuts a window over the padding to the map edges', () => {
    expect(clipBox({ top: -1, left: -2, bottom: 1, right: 6 }, 4, 5)).toEqual({ top: 0, left: 0, rows: 2, cols: 5 });
  });
  it('gives null for a box wholly off the map', () => {
    expect(clipBox({ top: -3, left: 0, bottom: -1, right: 2 }, 4, 4)).toBeNull();
    expect(clipBox({ top: 0, left: 4, bottom: 2, right: 6 }, 4, 4)).toBeNull();
  });
});
