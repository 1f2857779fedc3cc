/**
 * The networks ConvLab trains, apart from the loop that trains them: their ids (one id per network, the book
 * network's own: `bn_lenet` here as in the explorer), titles, the larger ones' scaled-down form, the book's settings
 * of each, the rules a setting obeys, and the spec a setting describes.
 */
import { check } from '../errors';
import { LIMITS } from '../limits';
import { buildNetwork, type NetId } from './book-nets';
import { lenetSpec, MAX_LENET_CHANNELS, type PoolingName } from './lenet';
import type { ActivationName, NetSpec } from './model';

export type TrainableNet = Extract<NetId, 'lenet' | 'bn_lenet' | 'resnet18' | 'nin' | 'googlenet'>;
export const TRAINABLE_NETS: readonly TrainableNet[] = ['lenet', 'bn_lenet', 'resnet18', 'nin', 'googlenet'];

/**
 * Ids a network had before it had one id everywhere (BN-LeNet trained as `bn-lenet`): labs saved then, the train
 * CLI's documented flag and old settings still name it so, and are read as the one id.
 */
const FORMER_IDS: Readonly<Record<string, TrainableNet>> = { 'bn-lenet': 'bn_lenet' };

/** The one id of a network named by its id or a former one (anything else is returned as it is, for the caller's check). */
export function trainableNetId(name: string): string {
  return Object.hasOwn(FORMER_IDS, name) ? FORMER_IDS[name] : name;
}

/**
 * The larger book networks, scaled down to train here in minutes: every width ÷ divisor, 10 classes, read at
 * `side` (28, Fashion-MNIST's own size, where the network allows it; NiN's three 3×3/2 pools need 67, so its
 * images are enlarged as the book's Resize does). Their activations and pooling are the book's, fixed.
 */
export const SCALED_NETS: Readonly<Record<Exclude<TrainableNet, 'lenet' | 'bn_lenet'>, { id: NetId; side: number; divisor: number }>> = {
  resnet18: { id: 'resnet18', side: 28, divisor: 8 },
  nin: { id: 'nin', side: 67, divisor: 8 },
  googlenet: { id: 'googlenet', side: 28, divisor: 8 },
};

/** What the UI and messages call each network. */
export const NET_TITLES: Readonly<Record<TrainableNet, string>> = { lenet: 'LeNet', bn_lenet: 'BN-LeNet', resnet18: 'ResNet-18', nin: 'NiN', googlenet: 'GoogLeNet' };

const isScaled = (net: TrainableNet): net is keyof typeof SCALED_NETS => Object.hasOwn(SCALED_NETS, net);

export interface TrainSettings {
  net: TrainableNet;
  activation: ActivationName;
  pooling: PoolingName;
  /** Output channels of the two convolutions. */
  channels: [number, number];
  lr: number;
  batchSize: number;
  epochs: number;
  seed: number;
  momentum: number;
  /** Width divisor of a scaled-down network (ignored by the LeNets); its SCALED_NETS default when absent. */
  divisor?: number;
}

/**
 * The book's settings: 5.5's LeNet (sigmoid, max pooling, lr 0.9) and 5.10's BN-LeNet (lr 1.0), batch 256, 5 epochs;
 * the larger networks with their sections' lr and batch (ResNet 0.05 and 256, NiN and GoogLeNet 0.1 and 128).
 */
export const BOOK_SETTINGS: Record<TrainableNet, TrainSettings> = {
  lenet: { net: 'lenet', activation: 'sigmoid', pooling: 'max', channels: [6, 16], lr: 0.9, batchSize: 256, epochs: 5, seed: 0, momentum: 0 },
  bn_lenet: { net: 'bn_lenet', activation: 'sigmoid', pooling: 'max', channels: [6, 16], lr: 1.0, batchSize: 256, epochs: 5, seed: 0, momentum: 0 },
  resnet18: { net: 'resnet18', activation: 'relu', pooling: 'max', channels: [6, 16], lr: 0.05, batchSize: 256, epochs: 5, seed: 0, momentum: 0, divisor: 8 },
  nin: { net: 'nin', activation: 'relu', pooling: 'max', channels: [6, 16], lr: 0.1, batchSize: 128, epochs: 5, seed: 0, momentum: 0, divisor: 8 },
  googlenet: { net: 'googlenet', activation: 'relu', pooling: 'max', channels: [6, 16], lr: 0.1, batchSize: 128, epochs: 5, seed: 0, momentum: 0, divisor: 8 },
};

/** Checks every setting against its rule, naming the first one that breaks it. */
export function checkTrainSettings(s: TrainSettings): void {
  check(TRAINABLE_NETS.includes(s.net), 'range', () => `net must be one of ${TRAINABLE_NETS.join(', ')}, got ${String(s.net)}`);
  check(['sigmoid', 'relu', 'tanh'].includes(s.activation), 'range', () => `activation must be sigmoid, relu or tanh, got ${String(s.activation)}`);
  check(s.pooling === 'max' || s.pooling === 'avg', 'range', () => `pooling must be max or avg, got ${String(s.pooling)}`);
  check(Array.isArray(s.channels) && s.channels.length === 2 && s.channels.every((c) => Number.isInteger(c) && c >= 1 && c <= MAX_LENET_CHANNELS), 'range',
    () => `channels must be two whole numbers from 1 to ${MAX_LENET_CHANNELS}, got ${JSON.stringify(s.channels)}`);
  check(Number.isFinite(s.lr) && s.lr > 0, 'range', () => `learning rate must be a positive number, got ${s.lr}`);
  check(Number.isInteger(s.batchSize) && s.batchSize >= 1 && s.batchSize <= LIMITS.maxTrainingBatch, 'range',
    () => `batch size must be a whole number from 1 to ${LIMITS.maxTrainingBatch}, got ${s.batchSize}`);
  check(Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= LIMITS.maxEpochs, 'range',
    () => `epochs must be a whole number from 1 to ${LIMITS.maxEpochs}, got ${s.epochs}`);
  check(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 0xffffffff, 'range', () => `seed must be a whole number from 0 to 4294967295, got ${s.seed}`);
  check(Number.isFinite(s.momentum) && s.momentum >= 0 && s.momentum < 1, 'range', () => `momentum must be in [0, 1), got ${s.momentum}`);
  check(s.divisor === undefined || (Number.isInteger(s.divisor) && s.divisor >= 1 && s.divisor <= 64), 'range',
    () => `the width divisor must be a whole number from 1 to 64, got ${String(s.divisor)}`);
}

/**
 * The network a setting describes and the side of the images it reads. BN-LeNet's scratch BatchNorm starts its
 * moving variance at 0, as the book's; the larger networks use Gluon's nn.BatchNorm, which starts it at 1.
 */
export function trainingNet(s: TrainSettings): { spec: NetSpec; movingVar: number; side: number } {
  if (isScaled(s.net)) {
    const scaled = SCALED_NETS[s.net];
    const net = buildNetwork(scaled.id, [1, 1, scaled.side, scaled.side], { divisor: s.divisor ?? scaled.divisor, classes: 10 });
    return { spec: net.spec, movingVar: 1, side: scaled.side };
  }
  return { spec: lenetSpec({ activation: s.activation, pooling: s.pooling, channels: s.channels, batchNorm: s.net === 'bn_lenet' }), movingVar: 0, side: 28 };
}
