import { describe, expect, it } from 'vitest';
import type { ModelListingRow } from '../../../electron/contract/model-contract';
import { joinPaths } from './model-joins';

const row = (name: string, from: string[], op = 'Conv'): ModelListingRow => ({ name, op, from, shape: [1, 1, 1, 1], parameters: 0, multiplyAdds: 0 });

describe('joinPaths', () => {
  it('splits a residual into its body and its 1×1 shortcut after the shared stem', () => {
    const rows = [row('stem', []), row('body0', ['stem']), row('short', ['stem']), row('body1', ['body0']), row('add', ['body1', 'short'], 'Add')];
    expect(joinPaths(rows, 4)).toEqual([[1, 3], [2]]);
  });
  it('gives an identity skip as an empty path', () => {
    const rows = [row('stem', []), row('body', ['stem']), row('add', ['body', 'stem'], 'Add')];
    expect(joinPaths(rows, 2)).toEqual([[1], []]);
  });
});
