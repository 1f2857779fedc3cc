/** Kernel learning (d2l 5.1.4): a one-output-channel Conv2D fitted to (x, y) by SGD on Σ(ŷ − y)², one step at a time. */
import { check } from '../errors';
import { checkPairRange } from '../geometry';
import { LIMITS } from '../limits';
import { conv2d, conv2dParams } from '../ops/conv2d';
import { squaredLoss } from '../ops/loss';
import { Sgd, checkSgd } from '../optim/sgd';
import { defaultConvWeights } from '../random';
import { Tape } from '../tape';
import { checkFinite, shapeText } from '../tensor';
import { checkMap } from './stack';
import type { TrainSettings, TrainStep, Trainer } from './types';

/** Checks every setting; returns the weight shape [1, C, kh, kw]. */
function checkSettings(s: TrainSettings): [number, number, number, number] {
  const [xn, c, h, w] = checkMap(s.x, 'x');
  const [yn, yc, yh, yw] = checkMap(s.y, 'y');
  check(xn === 1 && yn === 1, 'shape', () => `x and y must each hold one image (N = 1), got N = ${xn} and ${yn}`);
  checkPairRange(s.kernel, 'kernel size', 1, LIMITS.maxKernelSide);
  const [kh, kw] = s.kernel;
  check(kh <= h && kw <= w, 'shape', () => `kernel ${kh}×${kw} is larger than the input ${h}×${w}`);
  const want = [1, 1, h - kh + 1, w - kw + 1];
  check(yc === 1 && yh === want[2] && yw === want[3], 'shape',
    () => `y must be ${shapeText(want)} (the ${h}×${w} input less the ${kh}×${kw} kernel, plus one), got ${shapeText(s.y.shape)}`);
  checkSgd({ lr: s.lr, momentum: s.momentum });
  check(Number.isInteger(s.iterations) && s.iterations >= 1, 'range', () => `iterations must be a whole number ≥ 1, got ${s.iterations}`);
  check(s.iterations <= LIMITS.maxTrainingSteps, 'limit',
    () => `${s.iterations} iterations is above the limit of ${LIMITS.maxTrainingSteps}`);
  check(typeof s.flip === 'boolean' && typeof s.learnBias === 'boolean', 'format', () => 'flip and learnBias must be true or false');
  if (s.initWeight !== undefined) {
    check(s.initWeight.length === c * kh * kw, 'shape',
      () => `initial weight has ${s.initWeight?.length} values but a ${c}-channel ${kh}×${kw} kernel needs ${c * kh * kw}`);
    checkFinite(s.initWeight, 'initial weight');
  }
  check(s.initBias === undefined || Number.isFinite(s.initBias), 'nonfinite', () => `initial bias must be finite, got ${s.initBias}`);
  check(s.seed === undefined || Number.isInteger(s.seed), 'range', () => `seed must be a whole number, got ${s.seed}`);
  return [1, c, kh, kw];
}

/**
 * A trainer for the book's loop: each step() computes ŷ = corr2d(x, w) + b (or true convolution with `flip`),
 * l = Σ(ŷ − y)² and its gradient, then w −= lr·grad (bias too only when learnBias). Without initWeight the
 * weights are Gluon's default Uniform(−0.07, 0.07) from `seed` (default 0).
 */
export function createTrainer(s: TrainSettings): Trainer {
  const wShape = checkSettings(s);
  const weight = s.initWeight ? Float32Array.from(s.initWeight) : defaultConvWeights(wShape[1] * wShape[2] * wShape[3], s.seed ?? 0);
  const bias = Float32Array.of(s.initBias ?? 0);
  const params = conv2dParams({ flip: s.flip });
  const sgd = new Sgd([weight, bias], { lr: s.lr, momentum: s.momentum });
  let iteration = 0;

  return {
    get iteration() {
      return iteration;
    },
    step(): TrainStep {
      check(iteration < s.iterations, 'range', () => `training already ran its ${s.iterations} iterations`);
      const tape = new Tape();
      const w = tape.leaf({ shape: wShape, data: weight });
      const b = tape.leaf({ shape: [1], data: bias });
      const yHat = tape.conv2d(tape.leaf(s.x, false), w, b, params);
      const loss = tape.squaredLoss(yHat, tape.leaf(s.y, false));
      tape.backward(loss);
      const lossValue = squaredLoss(yHat.value, s.y);
      const grad = Float32Array.from(w.grad?.data ?? []);
      const biasGrad = b.grad?.data[0] ?? 0;
      sgd.step([grad, s.learnBias ? Float32Array.of(biasGrad) : null]);
      iteration++;
      return { iteration, loss: lossValue, weight: Float32Array.from(weight), bias: bias[0], grad, biasGrad };
    },
    lossAt(wAt: Float32Array, bAt: number): number {
      check(wAt.length === weight.length, 'shape', () => `weight has ${wAt.length} values but the kernel needs ${weight.length}`);
      checkFinite(wAt, 'weight');
      check(Number.isFinite(bAt), 'nonfinite', () => `bias must be finite, got ${bAt}`);
      return squaredLoss(conv2d(s.x, { shape: wShape, data: wAt }, Float32Array.of(bAt), params), s.y);
    },
  };
}
