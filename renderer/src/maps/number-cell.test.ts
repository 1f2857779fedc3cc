import { describe, expect, it } from 'vitest';
import { cellForNumbers, numbersFit, widestNumber } from './number-cell';

describe('number cells', () => {
  it('measures the longest number as the cells write it', () => {
    expect(widestNumber(new Float32Array([1, -0.987, 0.5]))).toBe('-0.987'.length);
  });
  it('keeps "-0.75" out of a 26 px cell, where it would run into its neighbour', () => {
    expect(numbersFit(5, 26)).toBe(false);
    expect(numbersFit(2, 26)).toBe(true);
  });
  it('sizes a cell so the minus sign of −0.987 and a diverged 1.2e+30 are written whole', () => {
    const flip = cellForNumbers(new Float32Array([0.9895, -0.9873705]), 34);
    expect(numbersFit(6, flip)).toBe(true);
    expect(numbersFit(6, flip - 1)).toBe(false);
    const diverged = cellForNumbers(new Float32Array([1.2e30, -3.4e29]), 34);
    expect(numbersFit(widestNumber(new Float32Array([1.2e30, -3.4e29])), diverged)).toBe(true);
  });
});
