import { describe, expect, it } from 'vitest';
import { formatArray } from '../numbers/numpy-format';
import { agrees, array, formatNested, nest, text } from './printed';

describe('arrays printed as the book prints them', () => {
  it('a 2-D array prints as the 5.1 guide always printed it', () => {
    const rows = [[19, 25], [37, 43]];
    expect(formatNested(rows)).toBe(formatArray(rows));
  });

  it('3-D and 4-D arrays separate their blocks with blank lines (d2l 5.3 cell 5, 5.4 cell 9)', () => {
    expect(formatNested(nest([56, 72, 104, 120, 76, 100, 148, 172], [2, 2, 2]))).toBe(
      '[[[ 56.  72.]\n  [104. 120.]]\n\n [[ 76. 100.]\n  [148. 172.]]]',
    );
    expect(formatNested(nest([5, 7, 13, 15, 6, 8, 14, 16], [1, 2, 2, 2]))).toBe(
      '[[[[ 5.  7.]\n   [13. 15.]]\n\n  [[ 6.  8.]\n   [14. 16.]]]]',
    );
    expect(formatNested([[[[10]]]])).toBe('[[[[10.]]]]');
  });

  it('agreement: shape and values within the tolerance for arrays, the same text for text', () => {
    expect(agrees(array([[1, 2]]), array([[1 + 1e-7, 2]]))).toBe(true);
    expect(agrees(array([[1, 2]]), array([[1], [2]]))).toBe(false);
    expect(agrees(array([[1, 2]]), array([[1, 2.01]]))).toBe(false);
    expect(agrees(text('(8, 8)'), text('(8, 8)'))).toBe(true);
    expect(agrees(text('(8, 8)'), text('(8, 7)'))).toBe(false);
    expect(agrees(text('True'), null)).toBe(false);
  });
});
