import { describe, expect, it } from 'vitest';
import { conv2dBackward } from './ops/conv2d';
import { Tape, RULES } from './tape';
import { expectGradClose, numericGrad, randomTensor } from './test-support/reference';

/** conv → relu → avg pool → conv → tanh → flatten → dense → softmax cross-entropy, every op on the tape. */
function network() {
  const x = randomTensor([2, 2, 9, 8], 1), w1 = randomTensor([3, 2, 3, 2], 2), b1 = randomTensor([3], 3);
  const w2 = randomTensor([2, 3, 2, 2], 4), b2 = randomTensor([2], 5);
  const wd = randomTensor([4, 2 * 2 * 2], 6), bd = randomTensor([4], 7);
  const labels = Int32Array.of(1, 3);
  const run = () => {
    const t = new Tape();
    const v = { x: t.leaf(x), w1: t.leaf(w1), b1: t.leaf(b1), w2: t.leaf(w2), b2: t.leaf(b2), wd: t.leaf(wd), bd: t.leaf(bd) };
    let h = t.conv2d(v.x, v.w1, v.b1, { padding: [1, 0], stride: [1, 1] });
    h = t.activation(h, 'relu');
    h = t.pool2d(h, { mode: 'avg', kernel: 2, stride: 2 });
    h = t.conv2d(h, v.w2, v.b2, { dilation: [2, 1], flip: true });
    h = t.activation(h, 'tanh');
    h = t.dense(t.flatten(h), v.wd, v.bd);
    const loss = t.softmaxCrossEntropy(h, labels);
    return { t, v, loss };
  };
  return { run, params: { x, w1, b1, w2, b2, wd, bd } };
}

describe('tape', () => {
  it('has one backward rule per recorded op', () => {
    expect(Object.keys(RULES).sort()).toEqual(['activation', 'add', 'batchNorm', 'concat', 'conv2d', 'dense', 'dropout', 'flatten', 'globalAvgPool', 'pool2d', 'sigmoidPool', 'softmaxCrossEntropy', 'squaredLoss']);
  });

  it('brings gradients to every parameter and to the input, agreeing with finite differences', () => {
    const { run, params } = network();
    const { t, v, loss } = run();
    t.backward(loss);
    for (const [name, p] of Object.entries(params)) {
      const grad = v[name as keyof typeof v].grad;
      expect(grad, name).not.toBeNull();
      expectGradClose(grad!.data, numericGrad(() => run().loss.value.data[0], p.data, 1e-3), name, 5e-3);
    }
  });

  it('adds up a leaf\'s gradients over two uses and two backward calls', () => {
    const t = new Tape();
    const x = t.leaf(randomTensor([1, 1, 4, 4], 1)), w = t.leaf(randomTensor([1, 1, 2, 2], 2));
    const a = t.conv2d(x, w, null), b = t.conv2d(x, w, null);
    t.backward(a);
    t.backward(b);
    const once = conv2dBackward(x.value, w.value, { shape: [1, 1, 3, 3], data: new Float32Array(9).fill(1) });
    expectGradClose(w.grad!.data, once.gradWeight.data.map((g) => 2 * g), 'w');
  });

  it('leaves values that need no gradient without one', () => {
    const t = new Tape();
    const x = t.leaf(randomTensor([1, 1, 4, 4], 1), false), w = t.leaf(randomTensor([1, 1, 2, 2], 2));
    t.backward(t.squaredLoss(t.conv2d(x, w, null), t.leaf(randomTensor([1, 1, 3, 3], 3), false)));
    expect(x.grad).toBeNull();
    expect(w.grad).not.toBeNull();
  });
});
