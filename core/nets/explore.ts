/**
 * The network explorer's view of a book network: plain data (no functions, no tensors) that crosses to the page —
 * its blocks as a diagram whose branches and skips stay branches and skips, one row per layer with its shape,
 * parameters, multiply-adds and receptive field, the book's listing, and the fields a probe needs at every join.
 */
import { check } from '../errors';
import { LIMITS } from '../limits';
import type { Pair } from '../geometry';
import { INPUT_FIELD, type RfInfo } from '../receptive-field';
import { isLayerBlock, layerBlockSummary, type BlockKind, type BlockSpec } from './blocks';
import { BOOK_NETS, buildNetwork, minInputSide, type NetId, type NetOptions } from './book-nets';
import type { LayerInfo } from './infer';
import { kindOf } from '../layers/table';
import { bookListing, listingEntries } from './listing';
import type { LayerSpec } from './model';
import type { Network } from './network';

/** A field as the page needs it: size r, jump j and start u per axis [height, width]. */
export interface FieldView {
  size: Pair;
  jump: Pair;
  start: Pair;
}

/** The diagram: a layer, a residual (body beside its skip) or a concat (paths side by side); rows index NetworkView.rows. */
export type DiagramNode =
  | { kind: 'layer'; row: number }
  | { kind: 'residual'; row: number; body: DiagramNode[]; shortcut: DiagramNode[] }
  | { kind: 'concat'; row: number; branches: DiagramNode[][] };

import type { LayerSettings } from '../layers/kind';

export type { LayerSettings } from '../layers/kind';

export interface RowView {
  /** Model path, e.g. "4.body.0" (a residual's first body layer). */
  path: string;
  depth: number;
  /** Index of the block it belongs to. */
  block: number;
  type: LayerSpec['type'];
  settings: LayerSettings;
  /** A residual whose skip is the identity (no 1×1 convolution). */
  identitySkip?: boolean;
  output: number[];
  parameters: number;
  macs: number;
  field: FieldView;
}

/** Where paths join at the end of a block, the field of each path's output (a probe shows their union). */
export interface JoinView {
  /** 'concat': paths in branch order (an empty path is the identity); 'residual': [body, shortcut]. */
  kind: 'concat' | 'residual';
  paths: { field: FieldView; identity: boolean; channels: number }[];
}

export interface BlockView {
  index: number;
  /** Gluon's name: conv0, pool1, sequential2, inception3 … */
  name: string;
  kind: BlockKind;
  /** The block's settings in symbols only (the page names the kind in its language), e.g. "64 | 96→128 | 16→32 | 32". */
  summary: string;
  stage?: { id: string; name: string };
  input: number[];
  output: number[];
  parameters: number;
  macs: number;
  /** Field of one unit of the block's output in the input image. */
  field: FieldView;
  nodes: DiagramNode[];
  /** Present when the block ends where paths join (Inception, residual, dense block). */
  join?: JoinView;
}

export interface NetworkView {
  id: NetId;
  title: string;
  section: string;
  side: number;
  /** Smallest square side the network takes (AlexNet: 67). */
  minSide: number;
  listingSide: number;
  trainSide: number;
  input: number[];
  output: number[];
  parameters: number;
  macs: number;
  lastConvField: FieldView | null;
  blocks: BlockView[];
  rows: RowView[];
  /** The book's lines: "conv0 output shape:\t (1, 96, 54, 54)". */
  listing: string[];
  /** The block each listing line ends at. */
  listingBlocks: number[];
}

const fieldView = (f: RfInfo): FieldView => ({ size: [...f.size], jump: [...f.jump], start: [...f.start] });

const k = (p: Pair) => (p[0] === p[1] ? `${p[0]}×${p[0]}` : `${p[0]}×${p[1]}`);
const s = (p: Pair) => (p[0] === 1 && p[1] === 1 ? '' : ` /${p[0] === p[1] ? p[0] : p.join('×')}`);
const pad = (p: Pair) => (p[0] === 0 && p[1] === 0 ? '' : ` +${p[0] === p[1] ? p[0] : p.join('×')}`);

/** The block's settings as symbols: channels, kernel, /stride, +padding, → for a path's widths. */
export function blockSummary(b: BlockSpec): string {
  if (isLayerBlock(b)) return layerBlockSummary(b);
  switch (b.kind) {
    case 'conv': return `${b.channels}, ${k(b.kernel)}${s(b.stride)}${pad(b.padding)}${b.activation ? `, ${b.activation}` : ''}`;
    case 'pool': return `${b.mode} ${k(b.kernel)}${s(b.stride)}${pad(b.padding)}`;
    case 'dense': return `${b.units}${b.activation ? `, ${b.activation}` : ''}`;
    case 'activation': return b.activation;
    case 'vgg_block': return `${b.num_convs} × (${b.channels}, 3×3 +1)`;
    case 'nin_block': return `${b.channels}, ${k(b.kernel)}${s(b.stride)}${pad(b.padding)}; 1×1; 1×1`;
    case 'inception': return `${b.c1} | ${b.c2[0]}→${b.c2[1]} | ${b.c3[0]}→${b.c3[1]} | ${b.c4}`;
    case 'residual_stage': return `${b.channels} × ${b.num_residuals}${b.first_block ? '' : ' /2'}`;
    case 'dense_block': return `${b.num_convs} × ${b.growth_rate}`;
    case 'transition': return `${b.channels}`;
    default: return '';
  }
}

/** Diagram nodes for the rows of `layers` starting at rows[at]; returns the nodes and the next row index. */
function nodesFrom(layers: readonly LayerSpec[], rows: readonly LayerInfo[], at: number): { nodes: DiagramNode[]; next: number } {
  const nodes: DiagramNode[] = [];
  let i = at;
  for (const l of layers) {
    const row = i++;
    if (l.type === 'residual') {
      const body = nodesFrom(l.body, rows, i);
      const shortcut = nodesFrom(l.shortcut, rows, body.next);
      i = shortcut.next;
      nodes.push({ kind: 'residual', row, body: body.nodes, shortcut: shortcut.nodes });
    } else if (l.type === 'concat') {
      const branches: DiagramNode[][] = [];
      for (const b of l.branches) {
        const r = nodesFrom(b, rows, i);
        branches.push(r.nodes);
        i = r.next;
      }
      nodes.push({ kind: 'concat', row, branches });
    } else nodes.push({ kind: 'layer', row });
  }
  return { nodes, next: i };
}

/** Output field and channels of a path that begins right after rows[container] (empty: the container's input). */
function pathOutput(rows: readonly LayerInfo[], nodes: readonly DiagramNode[], input: RfInfo, container: LayerInfo) {
  const last = nodes[nodes.length - 1];
  return last === undefined
    ? { field: fieldView(input), channels: container.input[1] }
    : { field: fieldView(rows[last.row].field), channels: rows[last.row].output[1] };
}

/** The field that enters rows[at]: the output of its previous sibling, or the network's input. */
function inputFieldOf(rows: readonly LayerInfo[], at: number): RfInfo {
  for (let i = at - 1; i >= 0; i--) if (rows[i].depth <= rows[at].depth) return rows[i].field;
  return INPUT_FIELD;
}

function joinOf(node: DiagramNode | undefined, rows: readonly LayerInfo[]): JoinView | undefined {
  if (node === undefined || node.kind === 'layer') return undefined;
  const input = inputFieldOf(rows, node.row);
  const paths = node.kind === 'concat' ? node.branches : [node.body, node.shortcut];
  return { kind: node.kind, paths: paths.map((p) => ({ ...pathOutput(rows, p, input, rows[node.row]), identity: p.length === 0 })) };
}

/** The explorer's view of an assembled network. */
export function networkView(id: NetId, net: Network): NetworkView {
  const rowsOut: RowView[] = [];
  const blocks: BlockView[] = net.blocks.map((b, index) => {
    const base = net.rows.indexOf(b.rows[0]);
    for (const r of b.rows) {
      rowsOut.push({
        path: r.path, depth: r.depth, block: index, type: r.spec.type, settings: kindOf(r.spec).settings(r.spec),
        ...(r.spec.type === 'residual' ? { identitySkip: r.spec.shortcut.length === 0 } : {}),
        output: r.output, parameters: r.parameters, macs: r.macs, field: fieldView(r.field),
      });
    }
    const { nodes } = nodesFrom(net.spec.slice(b.first, b.first + b.count), net.rows, base);
    const join = joinOf(nodes[nodes.length - 1], net.rows);
    return {
      index, name: b.name, kind: b.block.kind, summary: blockSummary(b.block), ...(b.stage ? { stage: b.stage } : {}),
      input: b.input, output: b.output, parameters: b.parameters, macs: b.macs, field: fieldView(b.field), nodes,
      ...(join ? { join } : {}),
    };
  });
  const book = BOOK_NETS[id];
  return {
    id, title: net.title, section: book.section, side: net.input[2], minSide: minSideOf(id), listingSide: book.listingSide,
    trainSide: book.trainSide, input: net.input, output: net.output, parameters: net.parameters, macs: net.macs,
    lastConvField: net.lastConvField && fieldView(net.lastConvField), blocks, rows: rowsOut,
    listing: bookListing(net), listingBlocks: listingEntries(net).map((e) => e.blocks[e.blocks.length - 1]),
  };
}

const minSides = new Map<NetId, number>();
/** minInputSide, remembered: it tries every side from 1 up. */
function minSideOf(id: NetId): number {
  let m = minSides.get(id);
  if (m === undefined) minSides.set(id, (m = minInputSide(id) ?? LIMITS.maxImageSide + 1));
  return m;
}

/**
 * The book network `id` at side×side (one image of `channels` channels) and its view. A side it cannot take is
 * refused with the layer and the arithmetic: "AlexNet at 64×64: pool2 (pool): layer 7 (maxpool): the 3×3 window …".
 */
export function exploreNetwork(id: NetId, side: number, channels = 1, options: NetOptions = {}): { net: Network; view: NetworkView } {
  check(Number.isInteger(side) && side >= 1 && side <= LIMITS.maxImageSide, 'limit',
    () => `the input side must be a whole number from 1 to ${LIMITS.maxImageSide}, got ${side}`);
  const net = buildNetwork(id, [1, channels, side, side], options);
  return { net, view: networkView(id, net) };
}

/** "1.73 billion", "938 million", "281,640": multiply-adds as a sentence writes them. */
export function amountText(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} million`;
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Refuses a forward pass above LIMITS.maxNetworkMultiplyAdds before any work, stating the cost and the limit:
 * "VGG-11 at 224×224 needs 7.55 billion multiply-adds for one forward pass; the limit is 2.00 billion …".
 */
export function checkNetworkBudget(net: Network): void {
  check(net.macs <= LIMITS.maxNetworkMultiplyAdds, 'limit', () =>
    `${net.title} at ${net.input[2]}×${net.input[3]} needs ${amountText(net.macs)} multiply-adds for one forward pass; ` +
    `the limit is ${amountText(LIMITS.maxNetworkMultiplyAdds)} (choose a smaller input)`);
}
