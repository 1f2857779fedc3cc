import { describe, expect, it } from 'vitest';
import { gradientHeat, inputPlane, mapDims } from './model-maps';

describe('mapDims', () => {
  it('reads maps, sequences and vectors', () => {
    expect(mapDims([1, 8, 4, 5])).toEqual({ channels: 8, height: 4, width: 5, vector: false });
    expect(mapDims([1, 8, 5])).toEqual({ channels: 8, height: 1, width: 5, vector: false });
    expect(mapDims([1, 10])).toEqual({ channels: 1, height: 1, width: 10, vector: true });
  });
});

describe('inputPlane and gradientHeat', () => {
  const layout = { channels: 2, height: 1, width: 2, channelsLast: false };
  it('averages channels, first or last', () => {
    expect(Array.from(inputPlane(new Float32Array([1, 2, 3, 4]), layout))).toEqual([2, 3]);
    expect(Array.from(inputPlane(new Float32Array([1, 3, 2, 4]), { ...layout, channelsLast: true }))).toEqual([2, 3]);
  });
  it('takes magnitudes for the heat', () => {
    expect(Array.from(gradientHeat(new Float32Array([-1, 2, 3, -4]), layout))).toEqual([2, 3]);
  });
});
