import { describe, expect, it } from 'vitest';
import type { ModelListingRow } from '../../../electron/contract/model-contract';
import { groupRows, groupSummary, joinKind, modulePath } from './model-groups';

const row = (name: string, op = 'Conv', from: string[] = [], parameters = 1): ModelListingRow => ({ name, op, from, shape: [1, 4, 8, 8], parameters, multiplyAdds: 10 * parameters });

describe('modulePath', () => {
  it('reads PyTorch exports\' slash names without the op segment', () => {
    expect(modulePath('/layer1/layer1.0/conv1/Conv')).toEqual(['layer1', 'layer1.0', 'conv1']);
    expect(modulePath('/Add')).toEqual([]);
  });
  it('reads dotted module names as nested prefixes', () => {
    expect(modulePath('layer1.0.conv1')).toEqual(['layer1', 'layer1.0']);
    expect(modulePath('fc')).toEqual([]);
  });
});

describe('groupRows', () => {
  const rows = [
    row('/stem/stem.0/Conv'),
    row('/stem/stem.2/Relu', 'Relu'),
    row('/layer1/layer1.0/conv1/Conv'),
    row('/layer1/layer1.0/relu/Relu', 'Relu'),
    row('/layer1/layer1.0/Add', 'Add', ['a', 'b']),
    row('/fc/Gemm', 'Gemm'),
  ];
  it('nests blocks by prefix and lets a one-node module be its node', () => {
    const tree = groupRows(rows);
    expect(tree.map((t) => (t.kind === 'group' ? t.name : t.row))).toEqual(['stem', 'layer1', 5]);
    const layer1 = tree[1];
    const block = layer1.kind === 'group' ? layer1.items[0] : layer1;
    expect(block.kind === 'group' && block.name).toBe('layer1.0');
    expect(block.kind === 'group' && block.items.map((t) => (t.kind === 'group' ? t.name : t.row))).toEqual([2, 3, 4]);
    expect(layer1.kind === 'group' && layer1.rows).toEqual([2, 3, 4]);
  });
  it('sums a block and gives its last node\'s shape', () => {
    expect(groupSummary(rows, [0, 1])).toEqual({ parameters: 2, multiplyAdds: 20, shape: [1, 4, 8, 8] });
  });
  it('marks joins', () => {
    expect(joinKind(rows[4])).toBe('add');
    expect(joinKind(row('c', 'Concat', ['a', 'b']))).toBe('concat');
    expect(joinKind(rows[0])).toBeNull();
  });
});
