/**
 * Training the book's LeNet on the dataset (section 5.5): the settings a learner may change, the run's events, and
 * a prediction with every layer's output. Kept beside the contract so contract.ts stays one table.
 */
import * as v from 'valibot';
import { whole } from './whole';
import { LIMITS } from '../../core/limits';
import type { EpochResult } from '../../core/nets/train';
import { BOOK_SETTINGS, trainableNetId, TRAINABLE_NETS } from '../../core/nets/catalogue';


/** The largest LeNet conv width here (core's MAX_LENET_CHANNELS). */
export const MAX_NET_CHANNELS = 64;

const NET_RULE = `net must be one of ${TRAINABLE_NETS.join(', ')}`;

export const NetSettingsSchema = v.object({
  // Absent in labs saved before other networks trained: those nets are LeNets. A former id (a lab saved when
  // BN-LeNet was 'bn-lenet') is read as the network's one id.
  net: v.optional(v.pipe(v.string(NET_RULE), v.transform(trainableNetId), v.picklist(TRAINABLE_NETS, NET_RULE)), 'lenet'),
  activation: v.picklist(['sigmoid', 'relu', 'tanh'], 'activation must be sigmoid, relu or tanh'),
  pooling: v.picklist(['max', 'avg'], 'pooling must be "max" or "avg"'),
  // Strict: a third width (or a million) would be taken and ignored by a plain tuple.
  channels: v.strictTuple(
    [whole(1, MAX_NET_CHANNELS, 'conv1 channels'), whole(1, MAX_NET_CHANNELS, 'conv2 channels')],
    (issue) => (issue.path ? 'channels holds exactly two widths [conv1, conv2]' : `channels must be a list of two widths [conv1, conv2], not ${issue.received}`),
  ),
  lr: v.pipe(v.number('learning rate must be a number'), v.finite('learning rate must be finite'), v.gtValue(0, 'learning rate must be positive'), v.maxValue(100, 'learning rate must be at most 100')),
  batchSize: whole(1, LIMITS.maxTrainingBatch, 'batch size'),
  epochs: whole(1, LIMITS.maxEpochs, 'epochs'),
  seed: whole(0, 0xffffffff, 'seed'),
  momentum: v.pipe(v.number('momentum must be a number'), v.minValue(0, 'momentum must be at least 0'), v.ltValue(1, 'momentum must be below 1')),
  /** Width divisor of a scaled-down ResNet-18, NiN or GoogLeNet; the LeNets ignore it. */
  divisor: v.optional(whole(1, 64, 'width divisor')),
});
export type NetSettings = v.InferOutput<typeof NetSettingsSchema>;

/** d2l-zh 5.5's settings. */
export const BOOK_NET_SETTINGS: NetSettings = BOOK_SETTINGS.lenet;

/** The book's settings of each trainable network (5.5 LeNet, 5.10 BN-LeNet, the scaled-down larger ones). */
export const bookNetSettings = (net: NetSettings['net']): NetSettings => structuredClone(BOOK_SETTINGS[net]);

export const NetTrainStartRequest = v.object({ settings: NetSettingsSchema });
export const NetTrainControlRequest = v.object({
  runId: whole(1, Number.MAX_SAFE_INTEGER, 'run id'),
  command: v.picklist(['pause', 'resume', 'stop'], 'command must be pause, resume or stop'),
});
/** A 28×28 grey image in [0, 1] (a drawing), or a test image by index. */
export const NetPredictRequest = v.object({
  runId: whole(1, Number.MAX_SAFE_INTEGER, 'run id'),
  image: v.union(
    [
      v.object({ test: whole(0, LIMITS.maxDatasetItems - 1, 'test image') }),
      v.object({
        pixels: v.pipe(
          v.instance(Float32Array, 'pixels must be a Float32Array'),
          v.check((p) => p.length === 28 * 28, 'a drawing has 28×28 = 784 pixels'),
          v.check((p) => p.every((x) => Number.isFinite(x) && x >= 0 && x <= 1), 'pixels must be numbers from 0 to 1'),
        ),
      }),
    ],
    'image must be { test: index } or { pixels: Float32Array }',
  ),
});

/** A run's trained net as a lab file keeps it (lab-file-v3.ts): asked for when the lab is saved. */
export const NetSnapshotRequest = v.object({ runId: whole(1, Number.MAX_SAFE_INTEGER, 'run id') });

export interface NetFilters {
  /** The first convolution's weights, e.g. LeNet's (c1, 1, 5, 5), and the second's (c2, c1, 5, 5), OIHW. */
  conv1: { shape: number[]; data: Float32Array };
  conv2: { shape: number[]; data: Float32Array };
  /** The first batch-norm layer's scale γ and shift β, one per channel (BN-LeNet's net[1], as d2l 5.10 prints them). */
  batchNorm?: { path: string; gamma: number[]; beta: number[] };
}
/** An epoch as core's training loop reports it (its loss, accuracies, seconds and the book's line), with its test-set views. */
export interface NetEpoch extends EpochResult {
  /** confusion[true·10 + predicted], over the test set. */
  confusion: number[];
  /** examples[true·10 + predicted]: the first test images (by index) of each cell, at most EXAMPLES_PER_CELL. */
  examples: number[][];
  /** The test images with the highest loss, worst first, at most MOST_WRONG_IMAGES. */
  mostWrong: NetWrongImage[];
}

/** How many of its worst test images an epoch reports. */
export const MOST_WRONG_IMAGES = 12;

/** A test image by its loss (the lowest probability on its true class first): true and predicted class, both probabilities. */
export interface NetWrongImage {
  index: number;
  label: number;
  predicted: number;
  /** The predicted class's probability. */
  probability: number;
  /** The true class's probability (its loss is −log of it). */
  trueProbability: number;
}

export const EXAMPLES_PER_CELL = 12;
export type NetTrainingEvent =
  | { runId: number; kind: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; acc: number; secondsLeft: number | null }
  | ({ runId: number; kind: 'epoch' } & NetEpoch)
  | ({ runId: number; kind: 'filters' } & NetFilters)
  | { runId: number; kind: 'paused' | 'resumed' }
  | { runId: number; kind: 'done' | 'stopped' | 'diverged' | 'error'; message?: string };

export interface NetPrediction {
  probabilities: number[];
  /** Classes by falling probability. */
  ranking: number[];
  /** The true class of a test image (null for a drawing). */
  label: number | null;
  /** The input and every layer's output: feature maps (1, C, H, W) or vectors (1, F). */
  layers: { path: string; type: string; shape: number[]; data: Float32Array }[];
}
