/**
 * Training a network of the catalogue (catalogue.ts) on an IDX image set the way the book's train_ch5 does: shuffle each epoch, batches of 256 (the
 * last one short), softmax cross-entropy, SGD on the summed gradient divided by the batch size even for the short
 * batch (trainer.step(batch_size)), train accuracy counted on the fly, test accuracy in predict mode after each
 * epoch, and the book's line per epoch. One batch per step() call, so callers pause, stop and report in between.
 */
import { check, ConvLabError } from '../errors';
import { mulberry32 } from '../random';
import type { LabelledImages } from '../data/idx';
import { batchCount, fillBatch, identityOrder, shuffleInPlace } from '../data/batches';
import { resizeBilinear } from '../data/resize';
import { checkTrainSettings, NET_TITLES, trainingNet, type TrainSettings } from './catalogue';
import type { Tensor } from '../tensor';
import type { NetSpec, Params } from './model';
import { inferSpec } from './infer';
import { initParams } from './params';
import { recycling } from '../ops/floats';
import { argmaxRow, lossAndGrads, predict, type LossOptions } from './run';
import { NetSgd } from './sgd';

export interface BatchProgress {
  /** 1-based. */
  epoch: number;
  /** 1-based, within the epoch. */
  batch: number;
  batches: number;
  /** Mean loss and accuracy of this batch (before its update). */
  loss: number;
  acc: number;
}

export interface EpochResult {
  epoch: number;
  /** Σ per-sample loss / n over the epoch, as train_ch5 prints it. */
  loss: number;
  trainAcc: number;
  testAcc: number;
  /** Seconds of work: the training pass and the test evaluation (time spent paused is not counted). */
  seconds: number;
  /** The book's line: `epoch 1, loss 2.3202, train acc 0.102, test acc 0.100, time 1.8 sec`. */
  line: string;
}

/** Python's '%.Nf': like toFixed, but an exact tie rounds to even, as printf does. */
export function fixed(x: number, digits: number): string {
  const scaled = x * 10 ** digits;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    const down = Math.floor(scaled);
    return ((down % 2 === 0 ? down : down + 1) / 10 ** digits).toFixed(digits);
  }
  return x.toFixed(digits);
}

/** train_ch5's line: 'epoch %d, loss %.4f, train acc %.3f, test acc %.3f, time %.1f sec'. */
export function bookLine(e: Omit<EpochResult, 'line'>): string {
  return `epoch ${e.epoch}, loss ${fixed(e.loss, 4)}, train acc ${fixed(e.trainAcc, 3)}, test acc ${fixed(e.testAcc, 3)}, time ${fixed(e.seconds, 1)} sec`;
}

/** One training batch as step() hands it to whoever computes its gradients. */
export interface TrainingBatch {
  /**
   * The images as the network reads them (count × 1 × side × side); shares memory with the run's buffers. Null
   * when the stepper fills them itself from `items` (stepWith's fillsImages).
   */
  x: Tensor | null;
  /** The batch's images by their index in the training set, in batch order (valid until the next batch). */
  items: Uint32Array;
  labels: Int32Array;
  count: number;
  /** When the batch was taken (the run's clock), and where it stands ("epoch 1, batch 3") for messages. */
  started: number;
  where: string;
}

/** A batch's (or a slice's) contribution: summed loss, hits, and Σ per-sample gradients / the full batch size. */
export interface BatchGradients {
  lossSum: number;
  correct: number;
  grads: Map<string, Float32Array>;
}

export type StepResult = { progress: BatchProgress; epoch?: EpochResult };

/** The gradients of `x` (a whole batch or a slice of one) with the run's options (see Training.batchOptions). */
export function batchGradients(spec: NetSpec, params: Params, x: Tensor, labels: Int32Array, o: LossOptions): BatchGradients {
  // The step's activations and gradients are reused by the next step; only the parameters' gradients leave it.
  return recycling(() => {
    const r = lossAndGrads(spec, params, x, labels, o);
    const grads = new Map<string, Float32Array>();
    for (const [path, g] of r.grads) grads.set(path, g.slice());
    return { lossSum: r.loss * labels.length, correct: r.correct, grads };
  });
}

/** Images per forward pass when scoring the test set. */
const EVAL_BATCH = 500;

/** A run in progress: its network, its weights (updated in place), and where it stands. */
export class Training {
  readonly spec: NetSpec;
  readonly params: Params;
  readonly settings: TrainSettings;
  private readonly sgd: NetSgd;
  private readonly order: Uint32Array;
  private readonly shuffle: () => number;
  private readonly dropoutRandom: () => number;
  private readonly x: Float32Array;
  private readonly labels: Int32Array;
  private readonly pixels: number;
  /** Side of the images the network reads (28, or larger for a network the images are enlarged for). */
  readonly side: number;
  private readonly resized: Float32Array;
  readonly batchesPerEpoch: number;
  /** 1-based epoch of the next batch, and its 0-based batch index. */
  private epoch = 1;
  private batch = 0;
  private lossSum = 0;
  private correct = 0;
  private workMs = 0;
  readonly history: EpochResult[] = [];
  /** The class predicted for each test image when the last epoch ended (a confusion matrix's source), null before. */
  testPredictions: Int32Array | null = null;
  /** The test images' logits then, `classes` a row (the most-wrong list's source): the epoch's pass, not a second one. */
  testLogits: Float32Array | null = null;
  /** Outputs of the network: the logits' row length. */
  readonly classes: number;

  constructor(settings: TrainSettings, readonly train: LabelledImages, readonly test: LabelledImages, private readonly now: () => number = () => Date.now()) {
    checkTrainSettings(settings);
    for (const [set, name] of [[train, 'training'], [test, 'test']] as const) {
      check(set.rows === 28 && set.cols === 28, 'shape', () => `${NET_TITLES[settings.net] ?? 'the network'} reads 28×28 images, but the ${name} images are ${set.rows}×${set.cols}`);
    }
    this.settings = { ...settings, channels: [...settings.channels] };
    const net = trainingNet(settings);
    this.spec = net.spec;
    this.side = net.side;
    this.classes = inferSpec(this.spec, [1, 1, this.side, this.side]).output[1];
    this.params = initParams(this.spec, { seed: settings.seed, movingVar: net.movingVar });
    this.sgd = new NetSgd(this.spec, this.params, { lr: settings.lr, momentum: settings.momentum });
    this.order = identityOrder(train.count);
    // Separate streams, so changing one use of randomness never shifts another.
    this.shuffle = mulberry32((settings.seed ^ 0x5bd1e995) >>> 0);
    this.dropoutRandom = mulberry32((settings.seed ^ 0x27d4eb2f) >>> 0);
    this.pixels = train.rows * train.cols;
    const room = Math.max(settings.batchSize, EVAL_BATCH);
    this.x = new Float32Array(room * this.pixels);
    this.labels = new Int32Array(room);
    this.resized = new Float32Array(this.side === 28 ? 0 : room * this.side * this.side);
    this.batchesPerEpoch = batchCount(train.count, settings.batchSize);
  }

  /** True once every epoch has run. */
  get finished(): boolean {
    return this.epoch > this.settings.epochs;
  }

  /** 1-based epoch and batch of the next step. */
  get position(): { epoch: number; batch: number } {
    return { epoch: this.epoch, batch: this.batch + 1 };
  }

  /**
   * Trains on the next batch; after an epoch's last batch also scores the test set and returns the epoch's result.
   * Throws a ConvLabError ('nonfinite') when the loss is not a finite number: the run has diverged.
   */
  step(): StepResult {
    const batch = this.nextBatch(true);
    const progress = this.applyBatch(batch, this.guard(batch, () => batchGradients(this.spec, this.params, batch.x!, batch.labels, this.batchOptions())));
    if (this.batch < this.batchesPerEpoch) return { progress };
    const t1 = this.now();
    return { progress, epoch: this.endEpoch(this.logitsAll(this.test), t1) };
  }

  /**
   * step() with the batch's gradients worked out by `gradients` (e.g. split over threads, which must give what
   * batchGradients gives for the whole batch: summed loss, hits, Σ gradients / batch size), then the same SGD step;
   * at an epoch's end the test set's logits come from `logits` (e.g. split the same way: logitsAll's result).
   * With `fillsImages` the batch's x is left null: `gradients` fills the images from the batch's items itself (the
   * threads of a split each fill their own, instead of this one filling them all first).
   */
  async stepWith(gradients: (batch: TrainingBatch) => Promise<BatchGradients>,
    logits: (set: LabelledImages) => Promise<Float32Array> | Float32Array = (set) => this.logitsAll(set), fillsImages = false): Promise<StepResult> {
    const batch = this.nextBatch(!fillsImages);
    let r: BatchGradients;
    try {
      r = await gradients(batch);
    } catch (e) {
      this.guard(batch, () => { throw e; });
      throw e;
    }
    const progress = this.applyBatch(batch, r);
    if (this.batch < this.batchesPerEpoch) return { progress };
    const t1 = this.now();
    return { progress, epoch: this.endEpoch(await logits(this.test), t1) };
  }

  /** How a batch's gradients are computed: train mode, Σ loss / the full batch size even for a short batch. */
  batchOptions(): LossOptions {
    return { mode: 'train', gradDivisor: this.settings.batchSize, random: this.dropoutRandom };
  }

  /** The next batch's images (unless `images` is false) and labels, shuffling at an epoch's start; valid until the next call. */
  private nextBatch(images: boolean): TrainingBatch {
    check(!this.finished, 'range', () => `the run has finished its ${this.settings.epochs} epochs`);
    const started = this.now();
    const { batchSize } = this.settings;
    if (this.batch === 0) shuffleInPlace(this.order, this.shuffle);
    const start = this.batch * batchSize, count = Math.min(batchSize, this.train.count - start);
    const items = this.order.subarray(start, start + count);
    if (images) fillBatch(this.train, this.order, start, count, this.x, this.labels);
    else for (let b = 0; b < count; b++) this.labels[b] = this.train.labels[items[b]];
    return {
      x: images ? this.input(this.x, count) : null, items, labels: this.labels.subarray(0, count), count, started,
      where: `epoch ${this.epoch}, batch ${this.batch + 1}`,
    };
  }

  /** Runs `compute`, saying a non-finite value inside some layer plainly: the run diverged. */
  private guard<T>(batch: TrainingBatch, compute: () => T): T {
    try {
      return compute();
    } catch (e) {
      // Weights that overflowed surface as a non-finite value inside some layer: the same divergence, said plainly.
      if (e instanceof ConvLabError && e.code === 'nonfinite') throw new ConvLabError('nonfinite', `training diverged at ${batch.where} and was stopped (${e.message}); try a smaller learning rate`);
      throw e;
    }
  }

  /** The SGD step on a batch's gradients and the running sums; the batch's progress. */
  private applyBatch(batch: TrainingBatch, r: BatchGradients): BatchProgress {
    const { count, where } = batch;
    const loss = r.lossSum / count;
    if (!Number.isFinite(loss)) {
      throw new ConvLabError('nonfinite', `training diverged at ${where} and was stopped (the loss became ${loss}); try a smaller learning rate`);
    }
    this.sgd.step(r.grads);
    this.lossSum += r.lossSum;
    this.correct += r.correct;
    const progress: BatchProgress = { epoch: this.epoch, batch: this.batch + 1, batches: this.batchesPerEpoch, loss, acc: r.correct / count };
    this.batch++;
    this.workMs += this.now() - batch.started;
    return progress;
  }

  /** Closes the epoch on the test set's logits (scored from `t1`): its result, and the next epoch set up. */
  private endEpoch(logits: Float32Array, t1: number): EpochResult {
    const predictions = classesOf(logits, this.test.count, this.classes);
    this.testPredictions = predictions;
    this.testLogits = logits;
    let hits = 0;
    for (let i = 0; i < this.test.count; i++) if (predictions[i] === this.test.labels[i]) hits++;
    const testAcc = hits / this.test.count;
    this.workMs += this.now() - t1;
    const n = this.train.count;
    const result = { epoch: this.epoch, loss: this.lossSum / n, trainAcc: this.correct / n, testAcc, seconds: this.workMs / 1000 };
    const epoch = { ...result, line: bookLine(result) };
    this.history.push(epoch);
    this.epoch++;
    this.batch = 0;
    this.lossSum = 0;
    this.correct = 0;
    this.workMs = 0;
    return epoch;
  }

  /**
   * `count` 28×28 images (values in [0, 1], one after another) as the network's input tensor, enlarged to its side
   * when it needs larger images. The result may share memory with an internal buffer: use it before the next call.
   */
  input(images: Float32Array, count: number): Tensor {
    if (this.side === 28) return { shape: [count, 1, 28, 28], data: images.subarray(0, count * 784) };
    const out = this.resized.length >= count * this.side * this.side ? this.resized : new Float32Array(count * this.side * this.side);
    resizeBilinear(images, count, 28, this.side, out);
    return { shape: [count, 1, this.side, this.side], data: out.subarray(0, count * this.side * this.side) };
  }

  /** Fraction of `set` the network classifies correctly, in predict mode (BN's moving statistics, no dropout). */
  accuracy(set: LabelledImages): number {
    const predicted = this.classifyAll(set);
    let hits = 0;
    for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) hits++;
    return hits / set.count;
  }

  /** The class the network predicts for every image of `set`, in predict mode. */
  classifyAll(set: LabelledImages): Int32Array {
    return classesOf(this.logitsAll(set), set.count, this.classes);
  }

  /** The logits of every image of `set` (`classes` a row), in predict mode, a chunk at a time. */
  logitsAll(set: LabelledImages): Float32Array {
    const out = new Float32Array(set.count * this.classes);
    for (let start = 0; start < set.count; start += EVAL_BATCH) {
      const chunk = this.evalChunk(set, start, Math.min(EVAL_BATCH, set.count - start));
      logitsInto(this.spec, this.params, chunk, out, start);
    }
    return out;
  }

  /** Images start..start+count−1 of `set` in order, as the network reads them (valid until the next call). */
  evalChunk(set: LabelledImages, start: number, count: number): Tensor {
    check(count <= EVAL_BATCH, 'range', () => `a chunk holds at most ${EVAL_BATCH} images, asked ${count}`);
    fillBatch(set, this.evalOrder(set.count), start, count, this.x, this.labels);
    return this.input(this.x, count);
  }

  private evalOrderCache: Uint32Array | null = null;

  private evalOrder(count: number): Uint32Array {
    if (this.evalOrderCache?.length !== count) this.evalOrderCache = identityOrder(count);
    return this.evalOrderCache;
  }
}

/** Images per forward pass when the test set is scored: a chunk the team splits between its threads. */
export const EVAL_CHUNK = EVAL_BATCH;

/** The logits (predict mode) of each image of `x`, into rows at, at + 1, … of `out` (the network's outputs a row). */
export function logitsInto(spec: NetSpec, params: Params, x: Tensor, out: Float32Array, at: number): void {
  recycling(() => {
    const logits = predict(spec, params, x);
    out.set(logits.data, at * logits.shape[1]);
  });
}

/** The predicted class (largest logit) of each of `count` rows of `classes` logits. */
export function classesOf(logits: Float32Array, count: number, classes: number): Int32Array {
  const out = new Int32Array(count);
  for (let r = 0; r < count; r++) out[r] = argmaxRow(logits, r, classes);
  return out;
}

/** How a caller steers a run between batches. */
export interface TrainControl {
  /** Asked before every batch; true ends the run there. */
  stopRequested?: () => boolean;
  /**
   * Awaited before every batch; resolves when the run may go on (a paused UI keeps it pending). In a worker, make it
   * yield to the event loop now and then (e.g. resolve from setImmediate), or pause and stop messages are never
   * delivered: awaiting an already-resolved promise only drains microtasks.
   */
  resumed?: () => Promise<void> | void;
}

export interface TrainCallbacks {
  onBatch?: (p: BatchProgress) => void;
  onEpoch?: (e: EpochResult) => void;
}

export interface TrainOutcome {
  status: 'finished' | 'stopped' | 'diverged';
  /** Why it stopped early, for 'diverged'. */
  message?: string;
  epochs: EpochResult[];
}

/**
 * Runs `training` to its end, reporting each batch and epoch and yielding between batches so a stop or pause
 * request is seen. A diverging run (NaN loss) ends with status 'diverged' and its message; its history is kept.
 * `step` takes one batch (default: training.step(); a caller may split the batch over threads with stepWith).
 */
export async function runTraining(training: Training, callbacks: TrainCallbacks = {}, control: TrainControl = {},
  step: (t: Training) => StepResult | Promise<StepResult> = (t) => t.step()): Promise<TrainOutcome> {
  while (!training.finished) {
    await control.resumed?.();
    if (control.stopRequested?.() === true) return { status: 'stopped', epochs: training.history };
    let r: StepResult;
    try {
      r = await step(training);
    } catch (e) {
      if (e instanceof ConvLabError && e.code === 'nonfinite') return { status: 'diverged', message: e.message, epochs: training.history };
      throw e;
    }
    callbacks.onBatch?.(r.progress);
    if (r.epoch !== undefined) callbacks.onEpoch?.(r.epoch);
  }
  return { status: 'finished', epochs: training.history };
}
