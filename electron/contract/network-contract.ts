/**
 * The network explorer's calls (a book network's view at a size, and one forward pass through it), kept beside the
 * contract so contract.ts stays one table. The answers' types come from core/nets/explore.ts, as plain data.
 */
import * as v from 'valibot';
import { whole } from './whole';
import { LIMITS } from '../../core/limits';
import { NET_IDS, type NetId } from '../../core/nets/book-nets';

export type {
  BlockView,
  DiagramNode,
  FieldView,
  JoinView,
  LayerSettings,
  NetworkView,
  RowView,
} from '../../core/nets/explore';

/** The book's networks, in the book's order: core's one list of ids, re-exported for the page. */
export const NETWORK_IDS = NET_IDS;
export type NetworkId = NetId;

const net = v.picklist(NETWORK_IDS, `network must be one of ${NETWORK_IDS.join(', ')}`);
const side = whole(1, LIMITS.maxImageSide, 'input side');

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

export const NetworkInfoRequest = v.object({
  net,
  /** Absent: the size the book uses for this network (`book`: its shape listing's, the default, or its training's). */
  side: v.optional(side),
  book: v.optional(v.picklist(['listing', 'training'], 'book size must be "listing" or "training"')),
  /** Channels of the image it will read: 1 (grey, the default) or 3 (RGB). */
  channels: v.optional(v.picklist([1, 3], 'input channels must be 1 or 3')),
  /** A scaled-down version: every hidden width divided by this (the book's VGG ratio); 1 is the book's network. */
  divisor: v.optional(whole(1, 64, 'width divisor')),
});

/** The image the network reads: one or three channels (grey or RGB), square, at the size the network is built for. */
const NetworkInput = v.pipe(
  v.object({
    shape: v.tuple([v.literal(1, 'batch must be 1'), whole(1, 3, 'input channels'), side, side]),
    data: v.custom<Float32Array>((value) => value instanceof Float32Array, 'the image must be a Float32Array'),
  }),
  v.check((t) => t.data.length === t.shape[1] * t.shape[2] * t.shape[3], 'image: data length does not match its shape'),
  v.check((t) => t.shape[2] === t.shape[3], 'the image must be square'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const at = firstNonFinite(dataset.value.data);
    if (at >= 0) addIssue({ message: `image contains ${dataset.value.data[at]} at index ${at}` });
  }),
);

export const NetworkForwardRequest = v.pipe(
  v.object({
    net,
    input: NetworkInput,
    /** Seed of the Xavier initialisation (used when no trained weights exist for this network and size). */
    seed: whole(0, 2 ** 31 - 1, 'seed'),
    /** The block whose output is sent back (every block's output stays in the engine for the next view). */
    block: whole(0, 1023, 'block'),
    /** First channel of the slice sent back (at most 64 channels at a time). */
    channelStart: whole(0, LIMITS.maxNetworkChannels - 1, 'first channel'),
  }),
);

export interface NetworkForwardResponse {
  block: number;
  /** Channels [channelStart, channelStart + n) of the block's output as maps; a vector is one map of rows × columns. */
  map: { shape: [1, number, number, number]; data: Float32Array };
  /** The block output's own shape. */
  full: number[];
  channelStart: number;
  channels: number;
  /** The network's output (its logits). */
  logits: Float32Array;
  /** Where the weights came from: Xavier from the seed, or a trained network's. */
  weights: 'xavier' | 'trained';
  /** Multiply-adds of the pass and how long it took in the engine (0 when the cached pass was reused). */
  macs: number;
  elapsedMs: number;
  cached: boolean;
}
