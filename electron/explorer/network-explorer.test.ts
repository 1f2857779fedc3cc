import { describe, expect, test } from 'vitest';
import { NET_IDS } from '../../core/nets/book-nets';
import { NETWORK_IDS } from '../contract/network-contract';
import { explorerForward } from './network-forward';
import { explorerInfo } from './network-info';
import { networkForwardJob } from './network-job';
import { createRouter, type Handlers } from '../services/router';

const context = { emit: () => undefined };
const route = createRouter({ explorerInfo, explorerForward } as unknown as Handlers);
const square = (side: number, channels = 1, fill = (i: number) => (i % 7) / 7) => ({
  shape: [1, channels, side, side] as [1, number, number, number],
  data: Float32Array.from({ length: channels * side * side }, (_, i) => fill(i)),
});

describe('the network explorer on the main side', () => {
  test("the contract's network names are core's", () => {
    expect([...NETWORK_IDS]).toEqual([...NET_IDS]);
  });

  test("answers ResNet-18's view at 224 with the book's listing", async () => {
    const answer = await route('explorerInfo', { net: 'resnet18', side: 224 }, context);
    expect(answer.ok).toBe(true);
    if (answer.ok) expect((answer.value as { listing: string[] }).listing.at(-1)).toBe('dense0 output shape:\t (1, 10)');
  });

  test("without a side, the book's size: its listing's, or its training's", () => {
    expect(explorerInfo({ net: 'resnet18' }).side).toBe(224);
    expect(explorerInfo({ net: 'resnet18', book: 'training' }).side).toBe(96);
    // An RGB image: three input channels, so the first convolution has three times the weights (64·3·7·7 + 64).
    expect(explorerInfo({ net: 'resnet18', channels: 3 }).blocks[0].parameters).toBe(9472);
    expect(explorerInfo({ net: 'resnet18', side: 28, divisor: 16 }).parameters).toBeLessThan(explorerInfo({ net: 'resnet18', side: 28 }).parameters / 100);
  });

  test('refuses a size the network cannot take with the layer and the arithmetic, and bad requests by name', async () => {
    expect(await route('explorerInfo', { net: 'alexnet', side: 64 }, context)).toEqual({
      ok: false,
      error: { code: 'engine', message: expect.stringMatching(/^AlexNet at 64×64: pool2 \(pool\): layer 12 \(maxpool\): .*⌊\(2 \+ 2·0 − 3\)\/2⌋ \+ 1 = 0/) },
    });
    const bad: [string, unknown, RegExp][] = [
      ['explorerInfo', { net: 'lenet5', side: 28 }, /network must be one of lenet, alexnet/],
      ['explorerInfo', { net: 'lenet', side: 513 }, /input side must be at most 512/],
      ['explorerForward', { net: 'lenet', input: square(28, 4), seed: 1, block: 0, channelStart: 0 }, /input channels must be at most 3/],
      ['explorerForward', { net: 'lenet', input: { shape: [1, 1, 28, 27], data: new Float32Array(756) }, seed: 1, block: 0, channelStart: 0 }, /square/],
      ['explorerForward', { net: 'lenet', input: square(28, 1, (i) => (i === 5 ? NaN : 0)), seed: 1, block: 0, channelStart: 0 }, /NaN at index 5/],
      ['explorerForward', { net: 'lenet', input: square(28), seed: -1, block: 0, channelStart: 0 }, /seed must be at least 0/],
    ];
    for (const [name, request, message] of bad) {
      const answer = await route(name, request, context);
      expect(answer.ok, name).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('invalid-request');
        expect(answer.error.message).toMatch(message);
      }
    }
  });

  test('refuses a forward pass above the compute budget before any work, with the cost and the limit', async () => {
    const answer = await route('explorerForward', { net: 'vgg11', input: square(224), seed: 1, block: 0, channelStart: 0 }, context);
    expect(answer).toEqual({ ok: false, error: { code: 'engine', message: expect.stringContaining('needs 7.55 billion multiply-adds for one forward pass; the limit is 2.00 billion') } });
  });

  test("runs LeNet once, then answers another block's maps from the same pass", () => {
    const request = { net: 'lenet' as const, input: square(28), seed: 7, block: 0, channelStart: 0 };
    const first = explorerForward(request);
    expect(first).toMatchObject({ cached: false, weights: 'xavier', full: [1, 6, 24, 24], channels: 6, macs: 281640 });
    expect(first.map.shape).toEqual([1, 6, 24, 24]);
    expect(first.logits.length).toBe(10);
    const again = explorerForward({ ...request, block: 2, channelStart: 8 });
    expect(again).toMatchObject({ cached: true, full: [1, 16, 8, 8], channelStart: 8, macs: 0 });
    expect(again.map.shape).toEqual([1, 8, 8, 8]);
    expect(Array.from(again.logits)).toEqual(Array.from(first.logits));
    // Same seed, same image: the same numbers; another seed: other weights.
    const reseeded = explorerForward({ ...request, seed: 8 });
    expect(reseeded.cached).toBe(false);
    expect(Array.from(reseeded.logits)).not.toEqual(Array.from(first.logits));
    expect(() => explorerForward({ ...request, block: 7 })).toThrow('block 7 is out of range: LeNet has 7 blocks, block 0 to 6');
  });

  test('prices a pass for the engine queue from shapes alone: the network\'s multiply-adds, the slice it answers', () => {
    const job = networkForwardJob({ net: 'resnet18', input: square(96), seed: 1, block: 4, channelStart: 0 });
    expect(job).toEqual({ call: 'explorerForward', cost: { multiplyAdds: 318657536, outputValues: 64 * 24 * 24 + 10 }, key: 'explorerForward resnet18 1x1x96x96' });
    expect(() => networkForwardJob({ net: 'vgg11', input: square(224), seed: 1, block: 0, channelStart: 0 })).toThrow('the limit is 2.00 billion');
  });
});
