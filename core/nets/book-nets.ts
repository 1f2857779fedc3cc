/**
 * The book's eight networks (d2l-zh v1, chapter 5) as named blocks, built at any input size they allow. Names are
 * the ones Gluon's global counters give (conv0, pool0, sequential1, …), counted as in the book's notebooks so the
 * listings print as the book prints them.
 */
import { check } from '../errors';
import { LIMITS } from '../limits';
import type { Pair } from '../geometry';
import { batchNormBlock, dropoutBlock, flattenBlock, globalAvgPoolBlock } from '../layers';
import { isLayerBlock, layerBlockPrefix, type BlockSpec } from './blocks';
import type { ActivationName } from './model';
import { assembleNetwork, type NamedBlock, type Network } from './network';

/** The networks as reference-2's `net` names them. */
export type NetId = 'lenet' | 'bn_lenet' | 'alexnet' | 'vgg11' | 'nin' | 'googlenet' | 'resnet18' | 'densenet';

/** What the book says about each network: its section, the size of its shape listing and of its training run. */
export interface BookNet {
  id: NetId;
  title: string;
  section: string;
  /** Side of the input the book's shape listing uses (and reference-2's architectures case). */
  listingSide: number;
  /** Side of the images the book trains it on (Fashion-MNIST resized). */
  trainSide: number;
  /** Whether the book prints a per-layer shape listing for it. */
  listingPrinted: boolean;
}

/** Each network's section, listing and training sizes (chapter5.md §2.13). */
export const BOOK_NETS: Readonly<Record<NetId, BookNet>> = {
  lenet: { id: 'lenet', title: 'LeNet', section: '5.5', listingSide: 28, trainSide: 28, listingPrinted: true },
  alexnet: { id: 'alexnet', title: 'AlexNet', section: '5.6', listingSide: 224, trainSide: 224, listingPrinted: true },
  vgg11: { id: 'vgg11', title: 'VGG-11', section: '5.7', listingSide: 224, trainSide: 224, listingPrinted: true },
  nin: { id: 'nin', title: 'NiN', section: '5.8', listingSide: 224, trainSide: 224, listingPrinted: true },
  googlenet: { id: 'googlenet', title: 'GoogLeNet', section: '5.9', listingSide: 96, trainSide: 96, listingPrinted: true },
  bn_lenet: { id: 'bn_lenet', title: 'BN-LeNet', section: '5.10', listingSide: 28, trainSide: 28, listingPrinted: false },
  resnet18: { id: 'resnet18', title: 'ResNet-18', section: '5.11', listingSide: 224, trainSide: 96, listingPrinted: true },
  densenet: { id: 'densenet', title: 'DenseNet', section: '5.12', listingSide: 96, trainSide: 96, listingPrinted: false },
};

/** The networks in the book's order. */
export const NET_IDS: readonly NetId[] = ['lenet', 'alexnet', 'vgg11', 'nin', 'googlenet', 'bn_lenet', 'resnet18', 'densenet'];

/** Scaling for trainable versions: every hidden width ÷ divisor (floored, at least 1); the class count stays. */
export interface NetOptions {
  /** Divides conv channels, hidden dense units, Inception paths and growth rates (the book's VGG `ratio`). Default 1. */
  divisor?: number;
  /** Output classes. Default 10 (Fashion-MNIST). */
  classes?: number;
}

/** Gluon's name counters: one per prefix, shared by every block built in a session. */
class Namer {
  private readonly counts = new Map<string, number>();

  constructor(start: Record<string, number> = {}) {
    for (const [k, v] of Object.entries(start)) this.counts.set(k, v);
  }

  next(prefix: string): string {
    const n = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, n + 1);
    return `${prefix}${n}`;
  }

  take(prefix: string, times = 1): void {
    for (let i = 0; i < times; i++) this.next(prefix);
  }

  /** Names `block` and uses up the names of what it builds inside, in Gluon's construction order. */
  name(block: BlockSpec): string {
    if (isLayerBlock(block)) return this.next(layerBlockPrefix(block));
    switch (block.kind) {
      case 'conv': return this.next('conv');
      case 'pool': return this.next('pool');
      case 'dense': return this.next('dense');
      case 'activation': return this.next(block.activation);
      case 'vgg_block': { const n = this.next('sequential'); this.take('conv', block.num_convs); this.take('pool'); return n; }
      case 'nin_block': { const n = this.next('sequential'); this.take('conv', 3); return n; }
      case 'inception': { const n = this.next('inception'); this.take('conv', 5); this.take('pool'); this.take('conv'); return n; }
      case 'residual_stage': {
        const n = this.next('sequential');
        for (let i = 0; i < block.num_residuals; i++) {
          this.take('residual');
          this.take('conv', i === 0 && !block.first_block ? 3 : 2);
          this.take('batchnorm', 2);
        }
        return n;
      }
      case 'dense_block': {
        const n = this.next('denseblock');
        this.take('sequential');
        for (let i = 0; i < block.num_convs; i++) { this.take('sequential'); this.take('batchnorm'); this.take('relu'); this.take('conv'); }
        return n;
      }
      case 'transition': {
        const n = this.next('sequential');
        this.take('batchnorm'); this.take('relu'); this.take('conv'); this.take('pool');
        return n;
      }
    }
  }
}

const sq = (n: number): Pair => [n, n];
const conv = (channels: number, k: number, s = 1, p = 0, activation?: ActivationName): BlockSpec =>
  activation ? { kind: 'conv', channels, kernel: sq(k), stride: sq(s), padding: sq(p), activation } : { kind: 'conv', channels, kernel: sq(k), stride: sq(s), padding: sq(p) };
const maxPool = (k: number, s: number, p = 0): BlockSpec => ({ kind: 'pool', mode: 'max', kernel: sq(k), stride: sq(s), padding: sq(p) });
const dense = (units: number, activation?: ActivationName): BlockSpec => (activation ? { kind: 'dense', units, activation } : { kind: 'dense', units });
const dropout: BlockSpec = dropoutBlock(0.5);
const act = (activation: ActivationName): BlockSpec => ({ kind: 'activation', activation });
const BN: BlockSpec = batchNormBlock();
const GAP: BlockSpec = globalAvgPoolBlock();

// Each builder takes `w`, which scales a hidden width, and `k`, the class count.

function lenet(w: (c: number) => number, k: number): BlockSpec[] {
  return [conv(w(6), 5, 1, 0, 'sigmoid'), maxPool(2, 2), conv(w(16), 5, 1, 0, 'sigmoid'), maxPool(2, 2),
    dense(w(120), 'sigmoid'), dense(w(84), 'sigmoid'), dense(k)];
}

function bnLenet(w: (c: number) => number, k: number): BlockSpec[] {
  const s = act('sigmoid');
  return [conv(w(6), 5), BN, s, maxPool(2, 2), conv(w(16), 5), BN, s, maxPool(2, 2), dense(w(120)), BN, s, dense(w(84)), BN, s, dense(k)];
}

function alexnet(w: (c: number) => number, k: number): BlockSpec[] {
  return [conv(w(96), 11, 4, 0, 'relu'), maxPool(3, 2), conv(w(256), 5, 1, 2, 'relu'), maxPool(3, 2),
    conv(w(384), 3, 1, 1, 'relu'), conv(w(384), 3, 1, 1, 'relu'), conv(w(256), 3, 1, 1, 'relu'), maxPool(3, 2),
    dense(w(4096), 'relu'), dropout, dense(w(4096), 'relu'), dropout, dense(k)];
}

function vgg11(w: (c: number) => number, k: number): BlockSpec[] {
  const arch: [number, number][] = [[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]];
  return [...arch.map(([n, c]): BlockSpec => ({ kind: 'vgg_block', num_convs: n, channels: w(c) })),
    dense(w(4096), 'relu'), dropout, dense(w(4096), 'relu'), dropout, dense(k)];
}

function nin(w: (c: number) => number, k: number): BlockSpec[] {
  const block = (channels: number, kk: number, s: number, p: number): BlockSpec => ({ kind: 'nin_block', channels, kernel: sq(kk), stride: sq(s), padding: sq(p) });
  return [block(w(96), 11, 4, 0), maxPool(3, 2), block(w(256), 5, 1, 2), maxPool(3, 2), block(w(384), 3, 1, 1), maxPool(3, 2),
    dropout, block(k, 3, 1, 1), GAP, flattenBlock()];
}

function googlenet(w: (c: number) => number, k: number, namer: Namer): NamedBlock[] {
  const inc = (c1: number, c2: Pair, c3: Pair, c4: number): BlockSpec =>
    ({ kind: 'inception', c1: w(c1), c2: [w(c2[0]), w(c2[1])], c3: [w(c3[0]), w(c3[1])], c4: w(c4) });
  const stages: [string, BlockSpec[]][] = [
    ['b1', [conv(w(64), 7, 2, 3, 'relu'), maxPool(3, 2, 1)]],
    ['b2', [conv(w(64), 1, 1, 0, 'relu'), conv(w(192), 3, 1, 1, 'relu'), maxPool(3, 2, 1)]],
    ['b3', [inc(64, [96, 128], [16, 32], 32), inc(128, [128, 192], [32, 96], 64), maxPool(3, 2, 1)]],
    ['b4', [inc(192, [96, 208], [16, 48], 64), inc(160, [112, 224], [24, 64], 64), inc(128, [128, 256], [24, 64], 64),
      inc(112, [144, 288], [32, 64], 64), inc(256, [160, 320], [32, 128], 128), maxPool(3, 2, 1)]],
    ['b5', [inc(256, [160, 320], [32, 128], 128), inc(384, [192, 384], [48, 128], 128), GAP]],
  ];
  // b1…b5 are built before the net that holds them: they are sequential0–4, the net sequential5.
  const members = stages.flatMap(([id, blocks]) => {
    const stage = { id, name: namer.next('sequential') };
    return blocks.map((block) => ({ name: namer.name(block), block, stage }));
  });
  namer.take('sequential');
  return [...members, { name: namer.name(dense(k)), block: dense(k) }];
}

function resnet18(w: (c: number) => number, k: number): BlockSpec[] {
  const stage = (channels: number, first: boolean): BlockSpec => ({ kind: 'residual_stage', channels: w(channels), num_residuals: 2, first_block: first });
  return [conv(w(64), 7, 2, 3), BN, act('relu'), maxPool(3, 2, 1),
    stage(64, true), stage(128, false), stage(256, false), stage(512, false), GAP, dense(k)];
}

function densenet(w: (c: number) => number, k: number): BlockSpec[] {
  const blocks: BlockSpec[] = [conv(w(64), 7, 2, 3), BN, act('relu'), maxPool(3, 2, 1)];
  const growth = w(32), convs = [4, 4, 4, 4];
  let channels = w(64);
  convs.forEach((n, i) => {
    blocks.push({ kind: 'dense_block', num_convs: n, growth_rate: growth });
    channels += n * growth;
    // v1 halves the running count at each transition (192 → 96, 224 → 112, 240 → 120; 248 at the end).
    if (i !== convs.length - 1) blocks.push({ kind: 'transition', channels: (channels = Math.floor(channels / 2)) });
  });
  return [...blocks, BN, act('relu'), GAP, dense(k)];
}

/**
 * Names counted as in the book's notebook before the net is built: ResNet's cell 8 prints conv5 and batchnorm4
 * because two test Residuals (5 convs, 4 BNs) were built first. BN-LeNet and DenseNet print no listing; their
 * names are those of a fresh session.
 */
const SESSION_START: Partial<Record<NetId, Record<string, number>>> = { resnet18: { conv: 5, batchnorm: 4, residual: 2 } };

function checkOptions(o: NetOptions): { divisor: number; classes: number } {
  const divisor = o.divisor ?? 1, classes = o.classes ?? 10;
  check(Number.isInteger(divisor) && divisor >= 1 && divisor <= 64, 'range', () => `the width divisor must be a whole number from 1 to 64, got ${divisor}`);
  check(Number.isInteger(classes) && classes >= 1 && classes <= 1000, 'range', () => `the class count must be a whole number from 1 to 1000, got ${classes}`);
  return { divisor, classes };
}

/** The network's named blocks, with every hidden width divided by `options.divisor`. */
export function bookBlocks(id: NetId, options: NetOptions = {}): NamedBlock[] {
  check(Object.hasOwn(BOOK_NETS, id), 'range', () => `unknown network '${String(id)}'; known: ${NET_IDS.join(', ')}`);
  const { divisor, classes } = checkOptions(options);
  const w = (c: number) => Math.max(1, Math.floor(c / divisor));
  const namer = new Namer(SESSION_START[id]);
  if (id === 'googlenet') return googlenet(w, classes, namer);
  namer.take('sequential'); // the net itself, built before its blocks
  const build: Record<Exclude<NetId, 'googlenet'>, (w: (c: number) => number, k: number) => BlockSpec[]> =
    { lenet, bn_lenet: bnLenet, alexnet, vgg11, nin, resnet18, densenet };
  return build[id](w, classes).map((block) => ({ name: namer.name(block), block }));
}

/**
 * The book's network `id` at `input` (NCHW, any size it allows): blocks, layer spec and every inference.
 * buildNetwork('alexnet', [1, 1, 66, 66]) throws "AlexNet at 66×66: pool2 (pool): layer 12 (maxpool): the 3×3
 * window does not fit the input 2×2 (height: ⌊(2 + 2·0 − 3)/2⌋ + 1 = 0); the input is too small"; minInputSide
 * says 67.
 */
export function buildNetwork(id: NetId, input: readonly number[], options: NetOptions = {}): Network {
  return assembleNetwork(BOOK_NETS[id].title, input, bookBlocks(id, options));
}

/** The network at the book's listing size, one channel, batch 1. */
export function buildBookNetwork(id: NetId, options: NetOptions = {}): Network {
  const s = BOOK_NETS[id]?.listingSide;
  return buildNetwork(id, [1, 1, s, s], options);
}

/** Smallest square side (up to LIMITS.maxImageSide) the network takes, or null if none fits. AlexNet → 67. */
export function minInputSide(id: NetId, options: NetOptions = {}, channels = 1): number | null {
  const blocks = bookBlocks(id, options);
  for (let s = 1; s <= LIMITS.maxImageSide; s++) {
    try {
      assembleNetwork(BOOK_NETS[id].title, [1, channels, s, s], blocks);
      return s;
    } catch {
      // too small: try the next side
    }
  }
  return null;
}
