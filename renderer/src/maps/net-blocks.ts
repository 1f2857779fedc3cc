/**
 * A prediction's layers as the book names them (conv1, pool1, conv2, pool2, dense1 …): a convolution or a dense
 * layer with what follows it cell for cell (its activation, a batch norm) is one block, shown after its activation,
 * as Gluon's Conv2D(activation='sigmoid') is one layer. And where a probed unit's windows and fields fall on them.
 */
import { blockRole } from '../../../electron/contract/core-exports';
import type { OverlayBox } from './map-grid-types';

export type BlockKind = 'input' | 'conv' | 'pool' | 'dense' | 'other';

export interface NetBlock {
  /** 'input', 'conv1', 'pool2', 'dense3', or the layer's type for any other. */
  name: string;
  kind: BlockKind;
  /** The spec index of the layer whose output the block shows (−1: the input image). */
  index: number;
  /** Its entry in the prediction's layers (0: the input). */
  layer: number;
  /** Without the batch: (C, H, W) for maps, (F) for vectors. */
  shape: number[];
}

// Each kind's row of the layer table says how its layer is shown: its block's name (conv, pool, dense), whether it
// acts value by value and joins the conv or dense block before it, and whether it maps each channel to itself.
const BLOCK_KINDS: readonly string[] = ['conv', 'pool', 'dense'] satisfies BlockKind[];
const kindOf = (type: string): BlockKind => {
  const name = blockRole(type).name;
  return name !== null && BLOCK_KINDS.includes(name) ? (name as BlockKind) : 'other';
};
const JOINED: readonly BlockKind[] = ['conv', 'dense'];

/** The blocks of a prediction's layers (the input first, then one per top-level layer path "0", "1", …). */
export function netBlocks(layers: readonly { path: string; type: string; shape: readonly number[] }[]): NetBlock[] {
  const blocks: NetBlock[] = [{ name: 'input', kind: 'input', index: -1, layer: 0, shape: layers[0].shape.slice(1) }];
  const counts: Partial<Record<BlockKind, number>> = {};
  for (let n = 1; n < layers.length; n++) {
    const l = layers[n];
    const last = blocks[blocks.length - 1];
    if (blockRole(l.type).joinsBlockBefore && JOINED.includes(last.kind)) {
      Object.assign(last, { index: Number(l.path), layer: n, shape: l.shape.slice(1) });
      continue;
    }
    const kind = kindOf(l.type);
    counts[kind] = (counts[kind] ?? 0) + 1;
    blocks.push({ name: kind === 'other' ? l.type : `${kind}${counts[kind]}`, kind, index: Number(l.path), layer: n, shape: l.shape.slice(1) });
  }
  return blocks;
}

export const isMap = (block: NetBlock): boolean => block.shape.length === 3;

/** A unit of a block's output: channel, row and column on a map; on a vector, c = y = 0 and x the feature. */
export interface BlockUnit {
  block: number;
  c: number;
  y: number;
  x: number;
}

/** The unit as the engine indexes the layer's output: [c, y, x] on a map, [feature] on a vector. */
export const engineUnit = (blocks: readonly NetBlock[], u: BlockUnit): number[] => (isMap(blocks[u.block]) ? [u.c, u.y, u.x] : [u.x]);

type Box = { top: number; left: number; bottom: number; right: number };

/**
 * The outlines on block `at`, channel `channel`, for a probed unit: the unit itself on its own map; on the block just
 * below it the window it reads, on every earlier block and the image its receptive field. `boxes` are the engine's
 * (boxes[i] in the input of spec layer i). A unit that still reads one channel of a block (through pooling, which
 * keeps channels) outlines only that channel; past a convolution or a dense layer, every channel.
 */
export function probeOutlines(
  blocks: readonly NetBlock[],
  types: readonly string[],
  unit: BlockUnit,
  pinned: boolean,
  boxes: readonly Box[] | null,
  at: number,
  channel: number,
): OverlayBox[] {
  const own = blocks[unit.block];
  if (at === unit.block) return channel === unit.c ? [{ top: unit.y, left: unit.x, bottom: unit.y, right: unit.x, kind: pinned ? 'pinned' : 'unit' }] : [];
  if (at > unit.block || !boxes) return [];
  const below = blocks[at];
  const box = boxes[below.index + 1];
  if (!box || box.bottom < box.top || box.right < box.left) return [];
  // A unit keeps its channel down to `below` when every layer between them maps channels to themselves.
  let keeps = isMap(own);
  for (let i = below.index + 1; i <= own.index; i++) keeps &&= blockRole(types[i]).keepsChannel;
  if (keeps && channel !== unit.c) return [];
  const kind = at === unit.block - 1 ? 'window' : 'field';
  // A vector is drawn as one row: what a unit reads of it is all of it.
  return [isMap(below) ? { ...box, kind } : { top: 0, left: 0, bottom: 0, right: below.shape[0] - 1, kind }];
}

/** Where a gradient on the image is nonzero: how many pixels, and the smallest box holding them (null if none). */
export function heatExtent(gradient: ArrayLike<number>, width: number): { reached: number; box: Box | null } {
  let reached = 0;
  let box: Box | null = null;
  for (let i = 0; i < gradient.length; i++) {
    if (gradient[i] === 0) continue;
    reached++;
    const y = Math.floor(i / width), x = i % width;
    box = box
      ? { top: Math.min(box.top, y), left: Math.min(box.left, x), bottom: Math.max(box.bottom, y), right: Math.max(box.right, x) }
      : { top: y, left: x, bottom: y, right: x };
  }
  return { reached, box };
}
