import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitectureCase } from './architecture-case';
import { BOOK_NETS, bookBlocks, buildBookNetwork, buildNetwork, minInputSide, NET_IDS, type NetId } from './book-nets';

/** Cases at other input sizes, batch sizes and channel counts, computed by PyTorch (architectures-other-sizes.py). */
const here = path.dirname(fileURLToPath(import.meta.url));
const OTHER = JSON.parse(readFileSync(path.resolve(here, '../test-support/architectures-other-sizes.json'), 'utf8')) as {
  smallest_side: Record<NetId, number>;
  architectures: { id: string; net: NetId }[];
};

describe('the eight networks at sizes other than the book’s (PyTorch)', () => {
  it('covers every network at two sizes or more', () => {
    for (const id of NET_IDS) expect(OTHER.architectures.filter((c) => c.net === id).length).toBeGreaterThanOrEqual(2);
  });

  for (const c of OTHER.architectures) {
    it(c.id, () => {
      expect(checkArchitectureCase(c)).toEqual([]);
    });
  }

  it('knows the smallest square input each network takes, as PyTorch found it (AlexNet 67, DenseNet 29)', () => {
    expect(Object.fromEntries(NET_IDS.map((id) => [id, minInputSide(id)]))).toEqual(OTHER.smallest_side);
  });
});

describe('an input too small is refused with the layer and the arithmetic', () => {
  it('AlexNet below 67×67: its last pooling map would vanish', () => {
    expect(() => buildNetwork('alexnet', [1, 1, 66, 66])).toThrow(
      'AlexNet at 66×66: pool2 (pool): layer 12 (maxpool): the 3×3 window does not fit the input 2×2 (height: ⌊(2 + 2·0 − 3)/2⌋ + 1 = 0); the input is too small');
    expect(buildNetwork('alexnet', [1, 1, 67, 67]).blocks[7].output).toEqual([1, 256, 1, 1]);
  });

  it('names the axis that fails in a wide, short input', () => {
    expect(() => buildNetwork('lenet', [1, 1, 15, 40])).toThrow('LeNet at 15×40: pool1 (pool): layer 5 (maxpool): the 2×2 window does not fit the input 1×14 (height: ⌊(1 + 2·0 − 2)/2⌋ + 1 = 0)');
  });

  it('names the layer inside a block (a DenseNet transition at 28×28)', () => {
    expect(() => buildNetwork('densenet', [1, 1, 28, 28])).toThrow(/^DenseNet at 28×28: sequential18 \(transition\): layer 27 \(avgpool\): the 2×2 window does not fit the input 1×1/);
  });

  it('refuses an input that is not NCHW', () => {
    expect(() => buildNetwork('lenet', [1, 28, 28])).toThrow('the input must be an NCHW shape of whole sizes ≥ 1, got (1, 28, 28)');
    expect(() => buildNetwork('lenet', [1, 1, 0, 28])).toThrow(/whole sizes ≥ 1/);
  });
});

describe('scaled-down networks that train here', () => {
  it('the book’s VGG ratio 4 gives its small_conv_arch (16, 32, 64, 128, 128)', () => {
    const net = buildNetwork('vgg11', [1, 1, 224, 224], { divisor: 4 });
    expect(net.blocks.slice(0, 5).map((b) => b.block)).toEqual([
      { kind: 'vgg_block', num_convs: 1, channels: 16 }, { kind: 'vgg_block', num_convs: 1, channels: 32 },
      { kind: 'vgg_block', num_convs: 2, channels: 64 }, { kind: 'vgg_block', num_convs: 2, channels: 128 },
      { kind: 'vgg_block', num_convs: 2, channels: 128 },
    ]);
  });

  it('LeNet, BN-LeNet, GoogLeNet and ResNet take 28×28 Fashion-MNIST with divided widths, 10 classes kept; DenseNet needs 29', () => {
    for (const id of ['lenet', 'bn_lenet', 'googlenet', 'resnet18'] as const) {
      const net = buildNetwork(id, [8, 1, 28, 28], { divisor: 8 });
      expect(net.output).toEqual([8, 10]);
      expect(net.parameters).toBeLessThan(buildNetwork(id, [8, 1, 28, 28]).parameters);
    }
    expect(buildNetwork('resnet18', [1, 1, 28, 28], { divisor: 8 }).blocks.filter((b) => b.block.kind === 'residual_stage').map((b) => b.output))
      .toEqual([[1, 8, 7, 7], [1, 16, 4, 4], [1, 32, 2, 2], [1, 64, 1, 1]]);
    expect(buildNetwork('densenet', [1, 1, 32, 32], { divisor: 4 }).output).toEqual([1, 10]);
  });

  it('NiN keeps its last block at the class count: its channels are the scores', () => {
    const net = buildNetwork('nin', [1, 1, 224, 224], { divisor: 4, classes: 5 });
    expect(net.blocks[7].block).toEqual({ kind: 'nin_block', channels: 5, kernel: [3, 3], stride: [1, 1], padding: [1, 1] });
    expect(net.output).toEqual([1, 5]);
  });

  it('refuses options outside their rule', () => {
    expect(() => bookBlocks('lenet', { divisor: 0 })).toThrow('the width divisor must be a whole number from 1 to 64, got 0');
    expect(() => bookBlocks('lenet', { classes: 1.5 })).toThrow('the class count must be a whole number from 1 to 1000, got 1.5');
    expect(() => bookBlocks('lenet5' as NetId)).toThrow(/unknown network 'lenet5'; known: lenet, alexnet/);
  });
});

describe('what the book’s networks imply', () => {
  it('LeNet: 281,640 multiply-adds per image (86,400 + 153,600 + 30,720 + 10,080 + 840)', () => {
    const net = buildBookNetwork('lenet');
    expect(net.blocks.map((b) => b.macs)).toEqual([86_400, 0, 153_600, 0, 30_720, 10_080, 840]);
    expect(net.macs).toBe(281_640);
    expect(buildNetwork('lenet', [256, 1, 28, 28]).macs).toBe(256 * 281_640);
  });

  it('AlexNet at 224: 938,146,176 multiply-adds; conv5 sees 163 pixels, pool5 195 (Araujo et al.)', () => {
    const net = buildBookNetwork('alexnet');
    expect(net.macs).toBe(938_146_176);
    const field = (i: number) => [net.blocks[i].field.size[0], net.blocks[i].field.jump[0], net.blocks[i].field.start[0]];
    expect(field(6)).toEqual([163, 16, -64]);
    expect(field(7)).toEqual([195, 32, -64]);
    expect(net.lastConvField?.size).toEqual([163, 163]);
  });

  it('LeNet to its second pool sees 16 pixels, jump 4; the ResNet stem 11, jump 4, start −5 (reference-1’s table)', () => {
    expect(buildBookNetwork('lenet').blocks[3].field).toMatchObject({ size: [16, 16], jump: [4, 4], start: [0, 0] });
    expect(buildNetwork('resnet18', [1, 1, 32, 32]).blocks[3].field).toMatchObject({ size: [11, 11], jump: [4, 4], start: [-5, -5] });
  });

  it('ResNet-18’s last convolution sees 435 pixels (the well-known figure)', () => {
    expect(buildBookNetwork('resnet18').lastConvField).toMatchObject({ size: [435, 435], jump: [32, 32] });
  });

  it('a dense layer and global pooling see the whole last map', () => {
    const net = buildBookNetwork('lenet');
    expect(net.blocks[4].field).toMatchObject({ size: [28, 28], jump: [4, 4], start: [0, 0] });
    const nin = buildBookNetwork('nin');
    expect(nin.blocks[8].field.size[0]).toBe(nin.blocks[7].field.size[0] + 4 * nin.blocks[7].field.jump[0]);
  });

  it('the expanded spec is the one reference-2’s training cases run (LeNet 5.5 and BN-LeNet 5.10 orders)', () => {
    const types = (id: NetId) => buildNetwork(id, [8, 1, 28, 28]).spec.map((l) => l.type);
    expect(types('lenet')).toEqual(['conv2d', 'sigmoid', 'maxpool', 'conv2d', 'sigmoid', 'maxpool', 'dense', 'sigmoid', 'dense', 'sigmoid', 'dense']);
    expect(types('bn_lenet')).toEqual(['conv2d', 'batchnorm', 'sigmoid', 'maxpool', 'conv2d', 'batchnorm', 'sigmoid', 'maxpool',
      'dense', 'batchnorm', 'sigmoid', 'dense', 'batchnorm', 'sigmoid', 'dense']);
  });

  it('every block’s layers are a run of the spec, and the rows sum to the totals', () => {
    for (const id of NET_IDS) {
      const net = buildBookNetwork(id);
      let next = 0;
      for (const b of net.blocks) {
        expect(b.first).toBe(next);
        next += b.count;
      }
      expect(next).toBe(net.spec.length);
      const top = net.rows.filter((r) => r.depth === 0);
      expect(top.reduce((a, r) => a + r.parameters, 0)).toBe(net.parameters);
      expect(top.map((r) => r.path)).toEqual(net.spec.map((_, i) => String(i)));
      expect(BOOK_NETS[id].title).toBe(net.title);
    }
  });
});
