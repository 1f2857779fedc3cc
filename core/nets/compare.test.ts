import { describe, expect, it } from 'vitest';
import { buildBookNetwork, buildNetwork, NET_IDS } from './book-nets';
import { compareNetworks, epochCost, epochSeconds, summarize } from './compare';

describe('two networks side by side', () => {
  it('LeNet against AlexNet: parameters, multiply-adds and the field of the last convolution', () => {
    const c = compareNetworks(buildBookNetwork('lenet'), buildBookNetwork('alexnet'));
    expect(c.left).toEqual({ title: 'LeNet', input: [1, 1, 28, 28], parameters: 44_426, macsPerImage: 281_640,
      lastConvField: { size: [14, 14], jump: [2, 2], start: [0, 0] } });
    expect(c.right).toMatchObject({ title: 'AlexNet', parameters: 46_764_746, macsPerImage: 938_146_176, lastConvField: { size: [163, 163], jump: [16, 16], start: [-64, -64] } });
    expect(c.ratio.parameters).toBeCloseTo(46_764_746 / 44_426, 9);
    expect(c.ratio.parameters.toFixed(1)).toBe('1052.6'); // compareNetworks' doc comment
    expect(c.ratio.macsPerImage).toBeCloseTo(938_146_176 / 281_640, 9);
    expect(c.ratio.lastConvFieldSize).toBeCloseTo((163 * 163) / (14 * 14), 9);
  });

  it('counts multiply-adds per image whatever the batch', () => {
    const one = buildBookNetwork('nin');
    expect(summarize(one).macsPerImage).toBe(one.macs);
  });

  it('NiN has 23 times fewer parameters than AlexNet, its dense head replaced by global pooling', () => {
    const c = compareNetworks(buildBookNetwork('nin'), buildBookNetwork('alexnet'));
    expect(Math.round(c.ratio.parameters)).toBe(23);
  });
});

describe('the cost of one epoch at the book’s sizes', () => {
  it('LeNet: 281,640 × 60,000 × 3 to train, × 10,000 to test', () => {
    expect(epochCost('lenet')).toEqual({ net: 'lenet', side: 28, macsPerImage: 281_640, trainMacs: 50_695_200_000, testMacs: 2_816_400_000, totalMacs: 53_511_600_000 });
  });

  it('ResNet-18 is trained at 96, not at its listing’s 224; a divided width costs less', () => {
    const cost = epochCost('resnet18');
    expect(cost.side).toBe(96);
    expect(cost.macsPerImage).toBe(buildNetwork('resnet18', [1, 1, 96, 96]).macs);
    expect(cost.macsPerImage).toBeLessThan(epochCost('resnet18', {}, 224).macsPerImage);
    expect(epochCost('resnet18', { divisor: 4 }).macsPerImage).toBeLessThan(cost.macsPerImage / 10);
  });

  it('gives every network a positive cost and a time at a measured speed', () => {
    for (const id of NET_IDS) expect(epochCost(id).totalMacs).toBeGreaterThan(0);
    expect(epochSeconds(epochCost('lenet'), 1e9)).toBeCloseTo(53.5116, 6);
    expect(() => epochSeconds(epochCost('lenet'), 0)).toThrow('the speed must be a positive number of multiply-adds per second, got 0');
  });
});
