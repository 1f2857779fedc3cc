import { expect, test } from 'vitest';
import { makeConv } from '../document/document';
import { touchedCells } from './touched-cells';
import { formulaFor } from './formula-terms';

test('an input cell touches every output cell whose window covers it', () => {
  const conv = makeConv([
    [0, 1],
    [2, 3],
  ]);
  // 3×3 input, 2×2 kernel: the centre cell feeds all four outputs, a corner only one.
  expect(touchedCells(conv, { y: 1, x: 1 }, [2, 2])).toHaveLength(4);
  expect(touchedCells(conv, { y: 0, x: 0 }, [2, 2])).toEqual([{ y: 0, x: 0 }]);
  const strided = { ...conv, stride: [2, 2] as [number, number], dilation: [1, 1] as [number, number] };
  expect(touchedCells(strided, { y: 1, x: 1 }, [1, 1])).toEqual([{ y: 0, x: 0 }]);
  const dilated = { ...conv, dilation: [2, 2] as [number, number] };
  // With dilation 2 a 2×2 kernel reads cells 0 and 2 of each axis, never 1.
  expect(touchedCells(dilated, { y: 1, x: 1 }, [1, 1])).toEqual([]);
});

test('the formula of the book’s first output cell is 0·0 + 1·1 + 3·2 + 4·3 = 19', () => {
  const conv = makeConv([
    [0, 1],
    [2, 3],
  ]);
  const below = { channels: 1, height: 3, width: 3, data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]) };
  const formula = formulaFor(conv, below, { c: 0, y: 0, x: 0 }, 19);
  expect(formula.kind).toBe('conv');
  if (formula.kind !== 'conv') return;
  expect(formula.terms).toEqual([
    { x: 0, k: 0 },
    { x: 1, k: 1 },
    { x: 3, k: 2 },
    { x: 4, k: 3 },
  ]);
  expect(formula.terms.reduce((s, t) => s + t.x * t.k, formula.bias)).toBe(19);
  // In convolution mode the flipped kernel multiplies the window: 0·3 + 1·2 + 3·1 + 4·0 = 5.
  const flipped = formulaFor({ ...conv, flip: true }, below, { c: 0, y: 0, x: 0 }, 5);
  if (flipped.kind !== 'conv') return;
  expect(flipped.terms.reduce((s, t) => s + t.x * t.k, 0)).toBe(5);
});
