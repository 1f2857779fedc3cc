/**
 * The layer table: one row per layer kind, each from its own file. Everything that walks a network (run, infer,
 * params, probe boxes, explore, budget, split, the CLI) looks a layer's kind up here instead of switching on it,
 * so a new kind is its file and a row below (and a member of LayerSpec, for the type checker).
 */
import { ConvLabError } from '../errors';
import { reluKind, sigmoidKind, tanhKind, type ActivationSpec } from './activation';
import { avgPoolKind, type AvgPoolSpec } from './avgpool';
import { batchNormKind, type BatchNormSpec } from './batchnorm';
import { concatKind, type ConcatSpec } from './concat';
import { conv2dKind, type Conv2dSpec } from './conv2d';
import { denseKind, type DenseSpec } from './dense';
import { dropoutKind, type DropoutSpec } from './dropout';
import { flattenKind, type FlattenSpec } from './flatten';
import { globalAvgPoolKind, type GlobalAvgPoolSpec } from './global-avg-pool';
import type { AnySpec, LayerKind, LeafKind } from './kind';
import { maxPoolKind, type MaxPoolSpec } from './maxpool';
import { residualKind, type ResidualSpec } from './residual';

/** One layer of any network: the lab's stack, the book's networks and the scaled ones speak this one vocabulary. */
export type LayerSpec =
  | Conv2dSpec | DenseSpec | MaxPoolSpec | AvgPoolSpec | ActivationSpec | FlattenSpec | BatchNormSpec | DropoutSpec
  | GlobalAvgPoolSpec | ResidualSpec<LayerSpec> | ConcatSpec<LayerSpec>;

/** conv2d, dense, …: every kind's name. */
export type LayerType = LayerSpec['type'];

// Each row is typed by its own spec; the table holds them by name, and kindOf hands a row only the specs of its kind.
const ROWS: readonly LayerKind[] = [
  conv2dKind, denseKind, maxPoolKind, avgPoolKind, reluKind, sigmoidKind, tanhKind, dropoutKind, flattenKind,
  batchNormKind, globalAvgPoolKind, residualKind, concatKind,
] as unknown as readonly LayerKind[];

const TABLE = new Map<string, LayerKind>(ROWS.map((k) => [k.type, k]));

/** The row of `spec`'s kind; an unknown kind is refused by name. */
export function kindOf(spec: AnySpec): LayerKind {
  const kind = TABLE.get(spec.type);
  if (kind === undefined) throw new ConvLabError('format', `unknown layer type '${String(spec.type)}'`);
  return kind;
}

/** The kinds architectures may name as blocks of their own, in table order. */
export const blockLayerKinds = (): LeafKind<AnySpec>[] =>
  [...TABLE.values()].flatMap((k) => (!k.container && k.block !== undefined ? [k] : []));

/** True when `type` names a kind in the table. */
export const isLayerType = (type: unknown): boolean => typeof type === 'string' && TABLE.has(type);

/** How a network's maps show a layer of `type`: its block name, whether it joins the block before, whether it keeps channels. */
export interface BlockRole {
  /** "conv", "pool", "dense", or null when its blocks go by its type. */
  name: string | null;
  joinsBlockBefore: boolean;
  keepsChannel: boolean;
}

/** The block role of `type` from its row; a type outside the table is a block of its own that mixes channels. */
export function blockRole(type: string): BlockRole {
  const kind = TABLE.get(type);
  if (kind === undefined || kind.container) return { name: null, joinsBlockBefore: false, keepsChannel: false };
  return { name: kind.blockName ?? null, joinsBlockBefore: kind.joinsBlockBefore ?? false, keepsChannel: kind.keepsChannel };
}

/**
 * Adds a kind to the table (a kind defined outside core/layers, e.g. a test's toy layer or an importer's operator).
 * A name already taken is refused: a row is never replaced behind its users' backs.
 */
export function registerLayerKind<S extends AnySpec>(kind: LayerKind<S>): void {
  if (TABLE.has(kind.type)) throw new ConvLabError('format', `layer type '${kind.type}' is already in the table`);
  TABLE.set(kind.type, kind as unknown as LayerKind);
}
