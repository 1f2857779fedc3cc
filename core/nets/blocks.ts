/**
 * The book's building blocks as data (the `kind`s of reference-2's `architectures`), and their expansion into the
 * layer specs the engine runs. A block knows its settings only; the channels and features it reads come from the
 * input shape it meets, as Gluon's deferred initialisation does.
 */
import { check } from '../errors';
import type { Pair } from '../geometry';
import {
  ACTIVATION_NAMES, activationLayer, avgPoolLayer, batchNormLayer, blockLayerKinds, concatLayer, conv2dLayer, denseLayer, maxPoolLayer, residualLayer,
  type batchNormBlock, type dropoutBlock, type flattenBlock, type globalAvgPoolBlock, type LayerBlock,
} from '../layers';
import { featuresOf } from '../layers/rules';
import type { ActivationName, LayerSpec } from './model';

/** One block, in reference-2's field names, so a listing and a reference case compare key by key. */
export type BlockSpec =
  | { kind: 'conv'; channels: number; kernel: Pair; stride: Pair; padding: Pair; activation?: ActivationName }
  | { kind: 'pool'; mode: 'max' | 'avg'; kernel: Pair; stride: Pair; padding: Pair }
  /** Flattens an NCHW input first, as Gluon's Dense does. */
  | { kind: 'dense'; units: number; activation?: ActivationName }
  | LayerBlockSpec
  | { kind: 'activation'; activation: ActivationName }
  /** num_convs 3×3 pad-1 ReLU convs, then a 2×2 stride-2 max pool (5.7). */
  | { kind: 'vgg_block'; num_convs: number; channels: number }
  /** A conv with these settings, then two 1×1 convs, all ReLU (5.8). */
  | { kind: 'nin_block'; channels: number; kernel: Pair; stride: Pair; padding: Pair }
  /** Four ReLU paths joined on channels: 1×1; 1×1 → 3×3; 1×1 → 5×5; 3×3 max pool → 1×1 (5.9). */
  | { kind: 'inception'; c1: number; c2: Pair; c3: Pair; c4: number }
  /** The book's resnet_block (5.11): unless first_block, the first Residual halves H×W and has a 1×1 shortcut. */
  | { kind: 'residual_stage'; channels: number; num_residuals: number; first_block: boolean }
  /** num_convs × (BN → ReLU → 3×3 conv to growth_rate channels), each output concatenated to its input (5.12). */
  | { kind: 'dense_block'; num_convs: number; growth_rate: number }
  /** BN → ReLU → 1×1 conv → 2×2 stride-2 average pool (5.12). */
  | { kind: 'transition'; channels: number };

/**
 * A layer of the table named as a block (its row's `block`: dropout, flatten, batchnorm, global_avg_pool), with
 * the settings that row reads. The kinds come from the table; the type names them for the type checker only.
 */
export type LayerBlockSpec =
  | ReturnType<typeof dropoutBlock> | ReturnType<typeof flattenBlock> | ReturnType<typeof batchNormBlock> | ReturnType<typeof globalAvgPoolBlock>;

/** The table's row of a block that is a layer of its own, or undefined for the book's composite blocks. */
function layerBlockRow(kind: unknown): { block: LayerBlock<LayerSpec> } | undefined {
  const row = blockLayerKinds().find((k) => k.type === kind);
  return row as { block: LayerBlock<LayerSpec> } | undefined;
}

/** True for a block that is a layer of the table. */
export const isLayerBlock = (b: BlockSpec): b is LayerBlockSpec => layerBlockRow(b.kind) !== undefined;

/** Gluon's name prefix of a block that is a layer of the table (dropout, pool for a global average pool …). */
export const layerBlockPrefix = (b: LayerBlockSpec): string => layerBlockRow(b.kind)!.block.prefix;

/** The settings of a block that is a layer of the table, as symbols: a dropout's rate. */
export const layerBlockSummary = (b: LayerBlockSpec): string =>
  layerBlockRow(b.kind)!.block.settings.map((k) => String((b as Record<string, unknown>)[k])).join(', ');

/** conv, pool, …, transition. */
export type BlockKind = BlockSpec['kind'];

const COMPOSITE_SETTINGS = {
  vgg_block: ['num_convs', 'channels'],
  nin_block: ['channels', 'kernel', 'stride', 'padding'],
  inception: ['c1', 'c2', 'c3', 'c4'],
  residual_stage: ['channels', 'num_residuals', 'first_block'],
  dense_block: ['num_convs', 'growth_rate'],
  transition: ['channels'],
} as const;

/** The settings each kind carries, in reference-2's order; `activation` is optional on conv and dense. */
export const BLOCK_SETTINGS: Readonly<Record<BlockKind, readonly string[]>> = {
  conv: ['channels', 'kernel', 'stride', 'padding', 'activation'],
  pool: ['mode', 'kernel', 'stride', 'padding'],
  dense: ['units', 'activation'],
  ...(Object.fromEntries(blockLayerKinds().map((k) => [k.type, k.block!.settings])) as Record<LayerBlockSpec['kind'], readonly string[]>),
  activation: ['activation'],
  ...COMPOSITE_SETTINGS,
};

/** Every kind: reference-2's single layers, the table's layers named as blocks, then the book's composite blocks. */
export const BLOCK_KINDS: readonly BlockKind[] = Object.keys(BLOCK_SETTINGS) as BlockKind[];

const ACTIVATIONS: readonly ActivationName[] = ACTIVATION_NAMES;

const sq = (n: number): Pair => [n, n];

function conv(inChannels: number, outChannels: number, kernel: number | Pair, stride: number | Pair = 1, padding: number | Pair = 0): LayerSpec {
  const p = (v: number | Pair): Pair => (typeof v === 'number' ? sq(v) : v);
  return conv2dLayer(inChannels, outChannels, p(kernel), p(stride), p(padding));
}

const relu: LayerSpec = activationLayer('relu');
const bn = batchNormLayer;
const withAct = (l: LayerSpec, act: ActivationName | undefined): LayerSpec[] => (act ? [l, activationLayer(act)] : [l]);

/**
 * The block's layers for an input of `shape` (NCHW, or (N, F) after a flatten or a dense layer).
 * conv(6, 5×5, sigmoid) on (1, 1, 28, 28) → [conv2d 1→6 5×5, sigmoid].
 */
export function expandBlock(block: BlockSpec, shape: readonly number[]): LayerSpec[] {
  if (isLayerBlock(block)) return [layerBlockRow(block.kind)!.block.expand(block, shape)];
  const c = shape[1];
  switch (block.kind) {
    case 'conv':
      return withAct(conv(c, block.channels, block.kernel, block.stride, block.padding), block.activation);
    case 'pool':
      return [block.mode === 'max' ? maxPoolLayer(block.kernel, block.stride, block.padding) : avgPoolLayer(block.kernel, block.stride, block.padding)];
    case 'dense':
      return withAct(denseLayer(featuresOf(shape), block.units), block.activation);
    case 'activation':
      return [activationLayer(block.activation)];
    case 'vgg_block': {
      const layers: LayerSpec[] = [];
      for (let i = 0; i < block.num_convs; i++) layers.push(conv(i === 0 ? c : block.channels, block.channels, 3, 1, 1), relu);
      return [...layers, maxPoolLayer(sq(2), sq(2))];
    }
    case 'nin_block':
      return [
        conv(c, block.channels, block.kernel, block.stride, block.padding), relu,
        conv(block.channels, block.channels, 1), relu,
        conv(block.channels, block.channels, 1), relu,
      ];
    case 'inception':
      return [concatLayer<LayerSpec>([
        [conv(c, block.c1, 1), relu],
        [conv(c, block.c2[0], 1), relu, conv(block.c2[0], block.c2[1], 3, 1, 1), relu],
        [conv(c, block.c3[0], 1), relu, conv(block.c3[0], block.c3[1], 5, 1, 2), relu],
        [maxPoolLayer(sq(3), sq(1), sq(1)), conv(c, block.c4, 1), relu],
      ])];
    case 'residual_stage': {
      const layers: LayerSpec[] = [];
      for (let i = 0; i < block.num_residuals; i++) {
        const down = i === 0 && !block.first_block;
        const inC = i === 0 ? c : block.channels, s = down ? 2 : 1;
        layers.push(residualLayer<LayerSpec>(
          [conv(inC, block.channels, 3, s, 1), bn(block.channels), relu, conv(block.channels, block.channels, 3, 1, 1), bn(block.channels)],
          down ? [conv(inC, block.channels, 1, s)] : [],
        ));
      }
      return layers;
    }
    case 'dense_block': {
      const layers: LayerSpec[] = [];
      for (let i = 0, ch = c; i < block.num_convs; i++, ch += block.growth_rate) {
        // An empty branch passes x through: concat(X, conv_block(X)).
        layers.push(concatLayer<LayerSpec>([[], [bn(ch), relu, conv(ch, block.growth_rate, 3, 1, 1)]]));
      }
      return layers;
    }
    case 'transition':
      return [bn(c), relu, conv(c, block.channels, 1), avgPoolLayer(sq(2), sq(2))];
  }
}

type Json = Record<string, unknown>;

function whole(v: unknown, min: number, name: string): number {
  check(typeof v === 'number' && Number.isInteger(v) && v >= min, 'range', () => `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function pairOf(v: unknown, min: number, name: string): Pair {
  check(Array.isArray(v) && v.length === 2, 'format', () => `${name} must be a [height, width] pair, got ${JSON.stringify(v)}`);
  return [whole(v[0], min, name), whole(v[1], min, name)];
}

function act(v: unknown, name = 'activation'): ActivationName {
  check(ACTIVATIONS.includes(v as ActivationName), 'range', () => `${name} must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(v)}`);
  return v as ActivationName;
}

const optAct = (v: unknown): ActivationName | undefined => (v === undefined ? undefined : act(v));

/**
 * Reads a block from plain data (a reference case, a saved lab): the kind's settings checked and copied, other
 * keys ignored. Throws a ConvLabError naming the setting and the rule.
 */
export function blockFromData(data: unknown): BlockSpec {
  check(typeof data === 'object' && data !== null && !Array.isArray(data), 'format', () => 'a block must be an object');
  const d = data as Json;
  const named = d.kind as BlockKind;
  check(BLOCK_KINDS.includes(named), 'format', () => `unknown block kind ${JSON.stringify(d.kind)}; known: ${BLOCK_KINDS.join(', ')}`);
  const layer = layerBlockRow(named);
  if (layer !== undefined) return { kind: named, ...layer.block.read(d) } as BlockSpec;
  const kind = named as Exclude<BlockKind, LayerBlockSpec['kind']>;
  const window = () => ({ kernel: pairOf(d.kernel, 1, 'kernel'), stride: pairOf(d.stride, 1, 'stride'), padding: pairOf(d.padding, 0, 'padding') });
  switch (kind) {
    case 'conv': {
      const b: BlockSpec = { kind, channels: whole(d.channels, 1, 'channels'), ...window() };
      const a = optAct(d.activation);
      return a ? { ...b, activation: a } : b;
    }
    case 'pool':
      check(d.mode === 'max' || d.mode === 'avg', 'range', () => `pool mode must be max or avg, got ${JSON.stringify(d.mode)}`);
      return { kind, mode: d.mode, ...window() };
    case 'dense': {
      const a = optAct(d.activation);
      return a ? { kind, units: whole(d.units, 1, 'units'), activation: a } : { kind, units: whole(d.units, 1, 'units') };
    }
    case 'activation':
      return { kind, activation: act(d.activation) };
    case 'vgg_block':
      return { kind, num_convs: whole(d.num_convs, 1, 'num_convs'), channels: whole(d.channels, 1, 'channels') };
    case 'nin_block':
      return { kind, channels: whole(d.channels, 1, 'channels'), ...window() };
    case 'inception':
      return { kind, c1: whole(d.c1, 1, 'c1'), c2: pairOf(d.c2, 1, 'c2'), c3: pairOf(d.c3, 1, 'c3'), c4: whole(d.c4, 1, 'c4') };
    case 'residual_stage':
      check(typeof d.first_block === 'boolean', 'format', () => `first_block must be true or false, got ${JSON.stringify(d.first_block)}`);
      return { kind, channels: whole(d.channels, 1, 'channels'), num_residuals: whole(d.num_residuals, 1, 'num_residuals'), first_block: d.first_block };
    case 'dense_block':
      return { kind, num_convs: whole(d.num_convs, 1, 'num_convs'), growth_rate: whole(d.growth_rate, 1, 'growth_rate') };
    case 'transition':
      return { kind, channels: whole(d.channels, 1, 'channels') };
  }
}
