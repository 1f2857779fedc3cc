import { describe, expect, it } from 'vitest';
import { BOOK_NET_SETTINGS } from '../../../../electron/contract/net-contract';
import { layerTable } from './layer-table';

const lenetLayerTable = (settings: Parameters<typeof layerTable>[0]) => layerTable(settings)!;

describe('lenetLayerTable', () => {
  it('gives the book LeNet 44,426 parameters and the book’s shapes', () => {
    const table = lenetLayerTable(BOOK_NET_SETTINGS);
    expect(table.parameters).toBe(44_426);
    expect(table.rows.map((r) => r.type)).toEqual(['conv2d', 'sigmoid', 'maxpool', 'conv2d', 'sigmoid', 'maxpool', 'dense', 'sigmoid', 'dense', 'sigmoid', 'dense']);
    expect(table.rows.map((r) => r.shape)).toEqual([[6, 24, 24], [6, 24, 24], [6, 12, 12], [16, 8, 8], [16, 8, 8], [16, 4, 4], [120], [120], [84], [84], [10]]);
    expect(table.rows.map((r) => r.parameters)).toEqual([156, 0, 0, 2416, 0, 0, 30_840, 0, 10_164, 0, 850]);
    expect(table.rows.reduce((a, r) => a + r.parameters, 0)).toBe(table.parameters);
  });

  it('gives each layer its receptive field on the input: conv2 sees 14×14 with jump 2, the dense layers all 28', () => {
    const rows = lenetLayerTable(BOOK_NET_SETTINGS).rows;
    expect(rows.map((r) => [r.fieldSize, r.fieldJump])).toEqual([[5, 1], [5, 1], [6, 2], [14, 2], [14, 2], [16, 4], [28, 4], [28, 4], [28, 4], [28, 4], [28, 4]]);
  });

  it('follows the activation, pooling and channel settings', () => {
    const table = lenetLayerTable({ net: 'lenet', activation: 'relu', pooling: 'avg', channels: [4, 8] });
    expect(table.rows.map((r) => r.type).slice(0, 3)).toEqual(['conv2d', 'relu', 'avgpool']);
    expect(table.rows[3].shape).toEqual([8, 8, 8]);
    // conv1 4·25+4, conv2 8·4·25+8, dense 128·120+120, 120·84+84, 84·10+10.
    expect(table.parameters).toBe(104 + 808 + 15_480 + 10_164 + 850);
  });

  it('follows the chosen network: BN-LeNet adds a batch norm after each conv and hidden dense layer (γ and β per channel)', () => {
    const table = lenetLayerTable({ ...BOOK_NET_SETTINGS, net: 'bn_lenet' });
    expect(table.rows.filter((r) => r.type === 'batchnorm').map((r) => r.parameters)).toEqual([12, 32, 240, 168]);
    expect(table.parameters).toBe(44_426 + 12 + 32 + 240 + 168);
  });

  it('reads a scaled-down NiN at 67×67 and a ResNet-18 at 28×28, and gives null for a divisor no net can take', () => {
    expect(lenetLayerTable({ ...BOOK_NET_SETTINGS, net: 'nin', divisor: 8 }).rows[0].shape).toEqual([12, 15, 15]);
    expect(lenetLayerTable({ ...BOOK_NET_SETTINGS, net: 'resnet18', divisor: 8 }).rows.at(-1)!.shape).toEqual([10]);
    expect(layerTable({ ...BOOK_NET_SETTINGS, net: 'resnet18', divisor: 0 })).toBeNull();
  });
});
