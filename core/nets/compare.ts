/**
 * Numbers the explorer shows about whole networks: two side by side (parameters, multiply-adds, the field of the
 * last convolution) and what one epoch of Fashion-MNIST costs at the size the book trains each network.
 */
import { check } from '../errors';
import { BOOK_NETS, buildNetwork, type NetId, type NetOptions } from './book-nets';
import type { Network } from './network';

/** Fashion-MNIST's training images (the book's data for every network of chapter 5). */
export const TRAIN_IMAGES = 60_000;
/** Fashion-MNIST's test images, evaluated after every epoch. */
export const TEST_IMAGES = 10_000;
/**
 * A training step costs about three forward passes: the forward itself, then the gradient with respect to the
 * input and with respect to the weights, each as many multiply-adds as the forward.
 */
export const TRAIN_PASSES = 3;

/** One network's headline figures. */
export interface NetSummary {
  title: string;
  input: number[];
  parameters: number;
  /** Multiply-adds of one forward pass of one image (batch total ÷ N). */
  macsPerImage: number;
  /** Field of the last convolution's units, per axis [h, w]; null for a network without one. */
  lastConvField: { size: [number, number]; jump: [number, number]; start: [number, number] } | null;
}

/** Headline figures of a network. */
export function summarize(net: Network): NetSummary {
  const f = net.lastConvField;
  return {
    title: net.title, input: net.input, parameters: net.parameters, macsPerImage: net.macs / net.input[0],
    lastConvField: f && { size: f.size, jump: f.jump, start: f.start },
  };
}

/** Two networks side by side; each ratio is right ÷ left. */
export interface Comparison {
  left: NetSummary;
  right: NetSummary;
  ratio: { parameters: number; macsPerImage: number; lastConvFieldSize: number | null };
}

/** compareNetworks(LeNet, AlexNet).ratio.parameters ≈ 1052.6 (46,764,746 ÷ 44,426). */
export function compareNetworks(left: Network, right: Network): Comparison {
  const l = summarize(left), r = summarize(right);
  const lf = l.lastConvField, rf = r.lastConvField;
  return {
    left: l, right: r,
    ratio: {
      parameters: r.parameters / l.parameters,
      macsPerImage: r.macsPerImage / l.macsPerImage,
      lastConvFieldSize: lf && rf ? (rf.size[0] * rf.size[1]) / (lf.size[0] * lf.size[1]) : null,
    },
  };
}

/** What one epoch costs in multiply-adds. */
export interface EpochCost {
  net: NetId;
  /** Side of the training images (the book's resize): 28, 96 or 224. */
  side: number;
  macsPerImage: number;
  /** macsPerImage × 60,000 × 3. */
  trainMacs: number;
  /** macsPerImage × 10,000: the test pass that train_ch5 times with each epoch. */
  testMacs: number;
  totalMacs: number;
}

/**
 * One epoch of the book's training run of `id`, at the size the book trains it (ResNet and DenseNet at 96, not
 * the 224 of ResNet's listing), on one-channel images; `options` for a scaled-down version, `side` to override.
 */
export function epochCost(id: NetId, options: NetOptions = {}, side: number = BOOK_NETS[id]?.trainSide): EpochCost {
  const macsPerImage = buildNetwork(id, [1, 1, side, side], options).macs;
  const trainMacs = macsPerImage * TRAIN_IMAGES * TRAIN_PASSES, testMacs = macsPerImage * TEST_IMAGES;
  return { net: id, side, macsPerImage, trainMacs, testMacs, totalMacs: trainMacs + testMacs };
}

/** Seconds the epoch would take at a measured speed (multiply-adds per second, e.g. from `npm run bench`). */
export function epochSeconds(cost: EpochCost, macsPerSecond: number): number {
  check(Number.isFinite(macsPerSecond) && macsPerSecond > 0, 'range', () => `the speed must be a positive number of multiply-adds per second, got ${macsPerSecond}`);
  return cost.totalMacs / macsPerSecond;
}
