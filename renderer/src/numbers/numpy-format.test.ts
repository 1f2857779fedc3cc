import { expect, test } from 'vitest';
import { formatArray } from './numpy-format';
import { formatCell, formatValue, parseNumber } from './format';
import { numberLabel } from './number-label';

test('arrays print as the book prints them', () => {
  expect(
    formatArray([
      [19, 25],
      [37, 43],
    ]),
  ).toBe('[[19. 25.]\n [37. 43.]]');
  expect(formatArray([[0, 1, 0, -1]])).toBe('[[ 0.  1.  0. -1.]]');
  // The book's learned weight (d2l 5.1.4), from float32 as MXNet holds it: decimal points aligned.
  expect(formatArray([[Math.fround(0.9895), Math.fround(-0.9873705)]])).toBe('[[ 0.9895    -0.9873705]]');
  expect(formatArray([[1.5, -10], [0.25, 3]])).toBe('[[  1.5  -10.  ]\n [  0.25   3.  ]]');
  expect(formatValue(0.9895)).toBe('0.9895');
  expect(formatValue(-0.9873705)).toBe('-0.9873705');
});

test('typed numbers are read as a person means them, and cells are named by their number', () => {
  expect(parseNumber('−1')).toBe(-1);
  expect(parseNumber(' 1/9 ')).toBeCloseTo(0.1111111);
  expect(parseNumber('1e-3')).toBe(0.001);
  expect(parseNumber('abc')).toBeNull();
  expect(parseNumber('')).toBeNull();
  expect(numberLabel(19)).toBe('19');
  expect(numberLabel(-0)).toBe('0');
  expect(numberLabel(Math.fround(0.9895))).toBe('0.9895');
});

test('cells show short numbers in the book’s style', () => {
  expect(formatCell(19)).toBe('19.');
  expect(formatCell(-1)).toBe('-1.');
  expect(formatCell(0)).toBe('0.');
  expect(formatCell(-0)).toBe('0.');
  expect(formatCell(0.25)).toBe('0.25');
  expect(formatCell(1 / 3)).toBe('0.333');
  expect(formatCell(123456)).toBe('1.2e+5');
});
