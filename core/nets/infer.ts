/**
 * What a network spec implies at an input shape, without running it: every layer's output shape, parameter count,
 * multiply-adds and receptive field (Araujo et al., Distill 2019), through residuals and concats. Bad specs are
 * refused with the layer's path and the rule it breaks.
 */
import { ConvLabError, check } from '../errors';
import type { Pair } from '../geometry';
import type { InferState } from '../layers/kind';
import { shapeTuple } from '../layers/rules';
import { kindOf } from '../layers/table';
import { INPUT_FIELD, type RfInfo } from '../receptive-field';
import type { LayerSpec, NetSpec } from './model';

export type { InferState } from '../layers/kind';
export { shapeTuple } from '../layers/rules';

/** One layer's facts at the input shape it meets. Containers (residual, concat) sum their children. */
export interface LayerInfo {
  /** Model path, as Params keys use it: "3", "3.body.0", "2.branches.1.0". */
  path: string;
  /** 0 for a top-level layer, one more inside each residual or concat. */
  depth: number;
  spec: LayerSpec;
  input: number[];
  output: number[];
  /** H×W of the map the layer reads (after a flatten, of the map that was flattened). */
  inputGrid: Pair;
  /** Trainable values: weights and biases, γ and β (moving statistics are not trained). */
  parameters: number;
  /** Multiply-adds of the conv and dense products for the whole batch (bias adds, pooling and BN not counted). */
  macs: number;
  /** Field of one output unit in the input image. After a dense layer or global pooling it spans the whole map. */
  field: RfInfo;
}

/** The state before the first layer, for an NCHW input. */
export function inputState(shape: readonly number[]): InferState {
  return { shape: [...shape], field: INPUT_FIELD, grid: [shape[2], shape[3]] };
}

/**
 * Infers layers[...] in order from `st`, appending one row per layer (containers before their children).
 * Paths are `prefix` + (offset + index), so a network inferred block by block keeps its model paths.
 */
export function inferInto(layers: NetSpec, st: InferState, rows: LayerInfo[], prefix = '', depth = 0, offset = 0): InferState {
  check(Array.isArray(layers), 'format', () => 'layers must be a list');
  layers.forEach((spec, i) => {
    const path = `${prefix}${offset + i}`;
    try {
      st = inferLayer(spec, st, rows, path, depth);
    } catch (e) {
      // Only the innermost layer names itself, so the message reads "layer 3.body.0 (conv2d): …".
      if (e instanceof ConvLabError && !e.message.startsWith('layer ')) throw e.within(`layer ${path} (${String(spec?.type)}): `);
      throw e;
    }
  });
  return st;
}

function inferLayer(spec: LayerSpec, st: InferState, rows: LayerInfo[], path: string, depth: number): InferState {
  check(typeof spec === 'object' && spec !== null, 'format', () => 'a layer must be an object');
  const kind = kindOf(spec);
  if (kind.container) {
    const at = rows.length;
    rows.push(undefined as unknown as LayerInfo); // the container's row goes before its children's
    const outs = kind.branches(spec).map((b) => inferInto(b.layers as NetSpec, st, rows, `${path}.${b.name}.`, depth + 1));
    const out = kind.join(spec, st, outs);
    const children = rows.slice(at + 1).filter((r) => r.depth === depth + 1);
    rows[at] = {
      path, depth, spec, input: st.shape, output: out.shape, inputGrid: st.grid, field: out.field,
      parameters: children.reduce((a, r) => a + r.parameters, 0), macs: children.reduce((a, r) => a + r.macs, 0),
    };
    return out;
  }
  const r = kind.infer(spec, st);
  rows.push({ path, depth, spec, input: st.shape, output: r.out.shape, inputGrid: st.grid, parameters: r.parameters, macs: r.macs, field: r.out.field });
  return r.out;
}

/** Totals of a spec at an input shape. */
export interface SpecInference {
  rows: LayerInfo[];
  output: number[];
  parameters: number;
  macs: number;
}

/**
 * Every layer of `spec` at `input` (NCHW): one row per layer, depth first, and the totals. Throws a ConvLabError
 * naming the layer's path and the rule, e.g. "layer 7 (maxpool): the 3×3 window does not fit the input 2×2 …".
 */
export function inferSpec(spec: NetSpec, input: readonly number[]): SpecInference {
  check(Array.isArray(input) && input.length === 4 && input.every((d) => Number.isInteger(d) && d >= 1), 'shape',
    () => `the input must be an NCHW shape of whole sizes ≥ 1, got ${shapeTuple(input ?? [])}`);
  const rows: LayerInfo[] = [];
  const out = inferInto(spec, inputState(input), rows);
  const top = rows.filter((r) => r.depth === 0);
  return { rows, output: out.shape, parameters: top.reduce((a, r) => a + r.parameters, 0), macs: top.reduce((a, r) => a + r.macs, 0) };
}

