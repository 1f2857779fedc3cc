import { describe, expect, it } from 'vitest';
import { BLOCK_KINDS, BLOCK_SETTINGS, blockFromData, expandBlock } from './blocks';

describe('blocks expand into the layers the engine runs', () => {
  it('holds its doc comment: conv(6, 5×5, sigmoid) on (1, 1, 28, 28) → [conv2d 1→6 5×5, sigmoid]', () => {
    expect(expandBlock({ kind: 'conv', channels: 6, kernel: [5, 5], stride: [1, 1], padding: [0, 0], activation: 'sigmoid' }, [1, 1, 28, 28])).toEqual([
      { type: 'conv2d', inChannels: 1, outChannels: 6, kernel: [5, 5], stride: [1, 1], padding: [0, 0] },
      { type: 'sigmoid' },
    ]);
  });

  it('a dense block reads the input it meets: Gluon flattens C·H·W', () => {
    expect(expandBlock({ kind: 'dense', units: 120 }, [1, 16, 4, 4])).toEqual([{ type: 'dense', inFeatures: 256, outFeatures: 120 }]);
  });

  it('a VGG block: its convs, then a 2×2 stride-2 max pool', () => {
    expect(expandBlock({ kind: 'vgg_block', num_convs: 2, channels: 8 }, [1, 3, 8, 8]).map((l) => l.type)).toEqual(['conv2d', 'relu', 'conv2d', 'relu', 'maxpool']);
  });

  it('a transition: BN → ReLU → 1×1 conv → 2×2 average pool counting padding (MXNet’s default)', () => {
    expect(expandBlock({ kind: 'transition', channels: 4 }, [1, 8, 4, 4])).toEqual([
      { type: 'batchnorm', channels: 8, momentum: 0.9, eps: 1e-5 }, { type: 'relu' },
      { type: 'conv2d', inChannels: 8, outChannels: 4, kernel: [1, 1], stride: [1, 1], padding: [0, 0] },
      { type: 'avgpool', kernel: [2, 2], stride: [2, 2], padding: [0, 0], countIncludePad: true },
    ]);
  });

  it('a stage that is not the first halves the map in its first Residual, with a 1×1 stride-2 shortcut; the rest are identity', () => {
    const [a, b] = expandBlock({ kind: 'residual_stage', channels: 8, num_residuals: 2, first_block: false }, [1, 4, 8, 8]);
    expect(a).toMatchObject({ type: 'residual', shortcut: [{ type: 'conv2d', inChannels: 4, outChannels: 8, kernel: [1, 1], stride: [2, 2] }] });
    expect(b).toMatchObject({ type: 'residual', shortcut: [] });
  });
});

describe('blocks from plain data', () => {
  it('reads every kind with its settings and drops other keys', () => {
    expect(blockFromData({ kind: 'inception', c1: 64, c2: [96, 128], c3: [16, 32], c4: 32, stage: 'b3', output_shape: [1, 256, 12, 12] }))
      .toEqual({ kind: 'inception', c1: 64, c2: [96, 128], c3: [16, 32], c4: 32 });
    expect(blockFromData({ kind: 'dense', units: 10 })).toEqual({ kind: 'dense', units: 10 });
    expect(Object.keys(BLOCK_SETTINGS).sort()).toEqual([...BLOCK_KINDS].sort());
  });

  it('refuses a block with the setting and the rule', () => {
    expect(() => blockFromData({ kind: 'resnet_block' })).toThrow(/^unknown block kind "resnet_block"; known: conv, pool/);
    expect(() => blockFromData({ kind: 'conv', channels: 6, kernel: [5], stride: [1, 1], padding: [0, 0] })).toThrow('kernel must be a [height, width] pair, got [5]');
    expect(() => blockFromData({ kind: 'conv', channels: 0, kernel: [5, 5], stride: [1, 1], padding: [0, 0] })).toThrow('channels must be a whole number ≥ 1, got 0');
    expect(() => blockFromData({ kind: 'pool', mode: 'min', kernel: [2, 2], stride: [2, 2], padding: [0, 0] })).toThrow('pool mode must be max or avg, got "min"');
    expect(() => blockFromData({ kind: 'activation', activation: 'gelu' })).toThrow('activation must be one of relu, sigmoid, tanh, got "gelu"');
    expect(() => blockFromData({ kind: 'residual_stage', channels: 64, num_residuals: 2, first_block: 'yes' })).toThrow('first_block must be true or false, got "yes"');
    expect(() => blockFromData([1])).toThrow('a block must be an object');
  });
});
