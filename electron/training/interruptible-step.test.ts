// The step a stop word interrupts: bit for bit Training.step() when the word stays down; set mid-batch, the batch
// is dropped and the weights, batch norm's moving statistics included, are as they were before it.
import { describe, expect, test } from 'vitest';
import { bookNetSettings } from '../contract/net-contract';
import { Training } from '../../core/nets/train';
import { interruptibleStep } from './interruptible-step';
import { randomImages } from './random-dataset.test-helper';
import { BatchAbandoned, type StopWord } from './stop-words';

const train = randomImages(96, 1), test_ = randomImages(20, 2);
const settings = (net: 'lenet' | 'bn_lenet') => ({ ...bookNetSettings(net), batchSize: 32, epochs: 1 });
const snapshot = (t: Training) => new Map([...t.params].map(([path, tensor]) => [path, Array.from(tensor.data)]));

/** A word that goes up at its `after`-th look. */
function wordAfter(after: number): StopWord & { looks: number } {
  const word = {
    looks: 0,
    raised: () => word.looks >= after,
    check() {
      if (++word.looks >= after) throw new BatchAbandoned();
    },
    reason: () => undefined,
  };
  return word;
}

describe('the interruptible step', () => {
  test.each(['lenet', 'bn_lenet'] as const)('%s: a word never raised gives what Training.step() gives, bit for bit, the epoch included', async (net) => {
    const plain = new Training(settings(net), train, test_), checked = new Training(settings(net), train, test_);
    const step = interruptibleStep(wordAfter(Infinity));
    for (let i = 0; i < 3; i++) {
      const a = plain.step(), b = await step(checked);
      expect(b.progress).toEqual(a.progress);
      expect(b.epoch?.testAcc).toBe(a.epoch?.testAcc);
    }
    expect(snapshot(checked)).toEqual(snapshot(plain));
    expect(checked.testLogits).toEqual(plain.testLogits);
  });

  test.each(['lenet', 'bn_lenet'] as const)('%s: a word raised inside the batch drops it, the weights and moving statistics as before', async (net) => {
    const t = new Training(settings(net), train, test_);
    await interruptibleStep(wordAfter(Infinity))(t);
    const before = snapshot(t), position = t.position;
    // The fourth look is inside the forward, after batch norm's first layer has updated its moving statistics.
    await expect(interruptibleStep(wordAfter(4))(t)).rejects.toBeInstanceOf(BatchAbandoned);
    expect(snapshot(t)).toEqual(before);
    // Not counted either: the run's next batch would be the same one.
    expect(t.position).toEqual(position);
  });

  test.each(['lenet', 'bn_lenet'] as const)("%s: a word raised at the backward's last op drops the batch too", async (net) => {
    const t = new Training(settings(net), train, test_);
    const counting = wordAfter(Infinity);
    await interruptibleStep(counting)(t);
    const before = snapshot(t);
    // The same batch again looks as often: the last look is the backward's last op, after every layer's forward.
    await expect(interruptibleStep(wordAfter(counting.looks))(t)).rejects.toBeInstanceOf(BatchAbandoned);
    // One look a layer in the forward (a fused pair looks twice), the rest in the backward.
    expect(counting.looks).toBeGreaterThan(t.spec.length);
    expect(snapshot(t)).toEqual(before);
  });
});
