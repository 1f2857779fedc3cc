// A network run priced before it starts: the book's settings train at every divisor, GoogLeNet ÷1 at batch 1024
// (which took the host from 95 to 2,247 MiB and 21–39 s a batch) is refused with its figures and the limits.
import { describe, expect, test } from 'vitest';
import { bookNetSettings } from '../contract/net-contract';
import { TRAINABLE_NETS } from '../../core/nets/catalogue';
import { checkTrainingPrice, MAX_STEP_MULTIPLY_ADDS, priceTraining, TRAINING_MEMORY_BUDGET } from './training-budget';

describe('the price of a training run', () => {
  test.each(TRAINABLE_NETS)("%s trains at its book settings, at its book divisor and at divisor 1", (net) => {
    for (const divisor of [undefined, 1]) {
      const price = priceTraining({ ...bookNetSettings(net), divisor });
      expect(() => checkTrainingPrice(price)).not.toThrow();
      expect(price.bytes).toBeGreaterThan(0);
    }
  });

  test('GoogLeNet ÷1 at batch 1024 is refused, its step figure against the limit', () => {
    const price = priceTraining({ ...bookNetSettings('googlenet'), divisor: 1, batchSize: 1024 });
    expect(price.title).toBe('GoogLeNet ÷1 at batch 1024');
    expect(price.stepMultiplyAdds).toBeGreaterThan(MAX_STEP_MULTIPLY_ADDS);
    expect(price.bytes).toBeGreaterThan(TRAINING_MEMORY_BUDGET);
    expect(() => checkTrainingPrice(price)).toThrow(
      /^GoogLeNet ÷1 at batch 1024 needs 88\.\d billion multiply-adds per training step; the limit is 30\.0 billion \(use a smaller batch or a larger width divisor\)$/);
  });

  test('a run that fits alone but not beside the runs going is refused with what they hold', () => {
    const resnet = priceTraining({ ...bookNetSettings('resnet18'), divisor: 1 });
    expect(resnet.title).toBe('ResNet-18 ÷1 at batch 256');
    expect(() => checkTrainingPrice(resnet, { bytes: resnet.bytes, runs: 1, nets: 0 })).toThrow(
      /^ResNet-18 ÷1 at batch 256 needs about \d+ MiB of memory to train, but the 1 training run of other pages on this host hold \d+ MiB of its 1\.00 GiB; wait for a run to end or a page to close/);
    expect(() => checkTrainingPrice(resnet, { bytes: resnet.bytes, runs: 2, nets: 3 })).toThrow(/but the 2 training runs and 3 networks of other pages on this host hold/);
    // A net kept after its run holds its weights, not its activations.
    expect(resnet.keptBytes).toBeLessThan(resnet.bytes / 3);
  });

  test('NiN ÷3 at batch 1024 is refused for its memory when its step alone would fit the step limit', () => {
    const nin = priceTraining({ ...bookNetSettings('nin'), divisor: 3, batchSize: 1024 });
    expect(nin.stepMultiplyAdds).toBeLessThanOrEqual(MAX_STEP_MULTIPLY_ADDS);
    expect(() => checkTrainingPrice(nin)).toThrow(/^NiN ÷3 at batch 1024 needs about \d\.\d\d GiB of memory to train; the limit is 1\.00 GiB/);
  });

  test('the LeNets are named without a divisor, and fit at the largest batch', () => {
    const lenet = priceTraining({ ...bookNetSettings('lenet'), batchSize: 1024 });
    expect(lenet.title).toBe('LeNet at batch 1024');
    expect(() => checkTrainingPrice(lenet)).not.toThrow();
  });
});
