/**
 * A network as the explorer sees it: named blocks in order, each expanded into layers at the shape it meets, with
 * every block's and layer's shape, parameters, multiply-adds and receptive field, and the totals.
 */
import { ConvLabError, check } from '../errors';
import { kindOf } from '../layers/table';
import type { RfInfo } from '../receptive-field';
import type { BlockSpec } from './blocks';
import { expandBlock } from './blocks';
import { inferInto, inputState, shapeTuple, type LayerInfo } from './infer';
import type { LayerSpec } from './model';

/** A top-level block and the name Gluon gives it (conv0, pool0, sequential1, …). */
export interface NamedBlock {
  name: string;
  block: BlockSpec;
  /** GoogLeNet's stage (b1–b5) and the Gluon name of its Sequential, which the book's listing prints. */
  stage?: { id: string; name: string };
}

/** A block's facts at the shape it meets. */
export interface BlockInfo extends NamedBlock {
  input: number[];
  output: number[];
  parameters: number;
  macs: number;
  /** Field of one unit of the block's output in the input image. */
  field: RfInfo;
  /** Its layers are spec[first .. first + count − 1]. */
  first: number;
  count: number;
  /** Its layers' rows, depth first (containers before their children). */
  rows: LayerInfo[];
}

/** A network assembled at one input shape. */
export interface Network {
  title: string;
  input: number[];
  blocks: BlockInfo[];
  /** The layer spec the engine runs; Params paths index it. */
  spec: LayerSpec[];
  /** Every layer's row, depth first. */
  rows: LayerInfo[];
  output: number[];
  parameters: number;
  macs: number;
  /** Field of the output of the last top-level layer that holds a convolution (an Inception's or a residual's join included). */
  lastConvField: RfInfo | null;
}

function holdsConv(l: LayerSpec): boolean {
  const kind = kindOf(l);
  return kind.container ? kind.branches(l).some((b) => (b.layers as LayerSpec[]).some(holdsConv)) : l.type === 'conv2d';
}

/**
 * Expands and infers `blocks` from `input` (NCHW). Errors name the network, the input size, the block and the
 * layer: "AlexNet at 66×66: pool2 (pool): layer 7 (maxpool): the 3×3 window does not fit the input 2×2 …".
 */
export function assembleNetwork(title: string, input: readonly number[], blocks: readonly NamedBlock[]): Network {
  const where = `${title} at ${input[2]}×${input[3]}: `;
  try {
    check(Array.isArray(input) && input.length === 4 && input.every((d) => Number.isInteger(d) && d >= 1), 'shape',
      () => `the input must be an NCHW shape of whole sizes ≥ 1, got ${shapeTuple(input ?? [])}`);
    let st = inputState(input);
    const spec: LayerSpec[] = [], rows: LayerInfo[] = [], infos: BlockInfo[] = [];
    let lastConvField: RfInfo | null = null;
    for (const b of blocks) {
      try {
        const layers = expandBlock(b.block, st.shape);
        const at = rows.length, first = spec.length, before = st.shape;
        st = inferInto(layers, st, rows, '', 0, first);
        spec.push(...layers);
        const mine = rows.slice(at), top = mine.filter((r) => r.depth === 0);
        infos.push({
          ...b, input: before, output: st.shape, field: st.field, first, count: layers.length, rows: mine,
          parameters: top.reduce((a, r) => a + r.parameters, 0), macs: top.reduce((a, r) => a + r.macs, 0),
        });
        for (const r of top) if (holdsConv(r.spec)) lastConvField = r.field;
      } catch (e) {
        if (e instanceof ConvLabError) throw e.within(`${b.name} (${b.block.kind}): `);
        throw e;
      }
    }
    return {
      title, input: [...input], blocks: infos, spec, rows, output: st.shape, lastConvField,
      parameters: infos.reduce((a, b) => a + b.parameters, 0), macs: infos.reduce((a, b) => a + b.macs, 0),
    };
  } catch (e) {
    if (e instanceof ConvLabError) throw e.within(where);
    throw e;
  }
}
