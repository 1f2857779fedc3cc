import { describe, expect, it } from 'vitest';
import { ConvLabError } from '../errors';
import { unionField } from '../receptive-field';
import { blockOutputs, outputSlice, vectorColumns } from './block-outputs';
import { buildNetwork } from './book-nets';
import { checkNetworkBudget, exploreNetwork, type DiagramNode } from './explore';
import { initParams } from './params';

/** The book's 5.11 listing of ResNet-18 at 224×224. */
const RESNET_LISTING = [
  ['conv5', '(1, 64, 112, 112)'], ['batchnorm4', '(1, 64, 112, 112)'], ['relu0', '(1, 64, 112, 112)'], ['pool0', '(1, 64, 56, 56)'],
  ['sequential1', '(1, 64, 56, 56)'], ['sequential2', '(1, 128, 28, 28)'], ['sequential3', '(1, 256, 14, 14)'],
  ['sequential4', '(1, 512, 7, 7)'], ['pool1', '(1, 512, 1, 1)'], ['dense0', '(1, 10)'],
];
const tuple = (s: readonly number[]) => `(${s.join(', ')})`;

function thrown(f: () => unknown): ConvLabError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConvLabError) return e;
    throw e;
  }
  throw new Error('expected a ConvLabError');
}

describe('the explorer view of a network', () => {
  it("ResNet-18 at 224: blocks named and shaped as the book's 5.11 listing, rows summing to the totals", () => {
    const { view } = exploreNetwork('resnet18', 224);
    expect(view.blocks.map((b) => [b.name, tuple(b.output)])).toEqual(RESNET_LISTING);
    expect(view.listing[0]).toBe('conv5 output shape:\t (1, 64, 112, 112)');
    expect(view.parameters).toBe(view.blocks.reduce((a, b) => a + b.parameters, 0));
    expect(view.macs).toBe(view.rows.filter((r) => r.depth === 0).reduce((a, r) => a + r.macs, 0));
    // Padding everywhere: even a 1×1 image goes through.
    expect(view.minSide).toBe(1);
  });

  it('draws a residual stage as residuals: the first stage skips by identity, a later one through a 1×1 convolution', () => {
    const { view } = exploreNetwork('resnet18', 224);
    const first = view.blocks[4].nodes, second = view.blocks[5].nodes;
    expect(first.map((n) => n.kind)).toEqual(['residual', 'residual']);
    const r0 = first[0] as Extract<DiagramNode, { kind: 'residual' }>;
    expect(r0.shortcut).toEqual([]);
    expect(r0.body.map((n) => view.rows[n.row].type)).toEqual(['conv2d', 'batchnorm', 'relu', 'conv2d', 'batchnorm']);
    const r1 = second[0] as Extract<DiagramNode, { kind: 'residual' }>;
    expect(r1.shortcut.map((n) => view.rows[n.row].settings)).toEqual([{ channels: 128, kernel: [1, 1], stride: [2, 2], padding: [0, 0] }]);
    expect(view.blocks[4].join?.paths.map((p) => p.identity)).toEqual([false, true]);
  });

  it("GoogLeNet at 96: an Inception block is four paths joined, its field the union of theirs", () => {
    const { view } = exploreNetwork('googlenet', 96);
    const inception = view.blocks.find((b) => b.kind === 'inception')!;
    expect(inception.summary).toBe('64 | 96→128 | 16→32 | 32');
    const concat = inception.nodes[0] as Extract<DiagramNode, { kind: 'concat' }>;
    expect(concat.kind).toBe('concat');
    expect(concat.branches.map((b) => b.map((n) => view.rows[n.row].type))).toEqual([
      ['conv2d', 'relu'], ['conv2d', 'relu', 'conv2d', 'relu'], ['conv2d', 'relu', 'conv2d', 'relu'], ['maxpool', 'conv2d', 'relu'],
    ]);
    // A channel of the join comes from one path: 64 + 128 + 32 + 32 = 256 channels.
    expect(inception.join!.paths.map((p) => p.channels)).toEqual([64, 128, 32, 32]);
    const paths = inception.join!.paths.map((p) => p.field);
    expect(paths.map((f) => f.size[0])).toEqual([27, 43, 59, 43]);
    const union = unionField(paths.map((f) => ({ ...f, center: [0, 0], effectivePadding: [0, 0] })));
    expect(inception.field.size).toEqual(union.size);
    expect(inception.field.start).toEqual(union.start);
  });

  it('refuses AlexNet at 64×64, naming the layer and writing the arithmetic out', () => {
    const e = thrown(() => exploreNetwork('alexnet', 64));
    expect(e.code).toBe('shape');
    expect(e.message).toBe('AlexNet at 64×64: pool2 (pool): layer 12 (maxpool): the 3×3 window does not fit the input 2×2 ' +
      '(height: ⌊(2 + 2·0 − 3)/2⌋ + 1 = 0); the input is too small');
    expect(exploreNetwork('alexnet', 67).view.minSide).toBe(67);
  });

  it('refuses a forward pass above the named budget with its cost and the limit', () => {
    expect(() => checkNetworkBudget(buildNetwork('alexnet', [1, 1, 224, 224]))).not.toThrow();
    const e = thrown(() => checkNetworkBudget(buildNetwork('vgg11', [1, 1, 224, 224])));
    expect(e.code).toBe('limit');
    expect(e.message).toBe('VGG-11 at 224×224 needs 7.55 billion multiply-adds for one forward pass; the limit is 2.00 billion (choose a smaller input)');
  });
});

describe('block outputs', () => {
  it("keeps every block's output of a forward pass, shaped as inferred", () => {
    const net = buildNetwork('lenet', [1, 1, 28, 28]);
    const x = { shape: [1, 1, 28, 28], data: Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 29) };
    const outs = blockOutputs(net, initParams(net.spec, { seed: 3 }), x);
    expect(outs.map((t) => t.shape)).toEqual(net.blocks.map((b) => b.output));
    const slice = outputSlice(outs[0], 2);
    expect(slice.shape).toEqual([1, 4, 24, 24]);
    expect(Array.from(slice.data.subarray(0, 3))).toEqual(Array.from(outs[0].data.subarray(2 * 576, 2 * 576 + 3)));
    expect(outputSlice(outs[4], 0).shape).toEqual([1, 1, 2, 60]);
    expect(() => outputSlice(outs[0], 6)).toThrow('channel 7 does not exist: the output has 6 channels');
  });

  it('lays a vector out without padding', () => {
    expect([4096, 120, 84, 10, 97].map(vectorColumns)).toEqual([64, 60, 42, 10, 1]);
  });
});
