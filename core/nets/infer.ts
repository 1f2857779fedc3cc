/**
 * What a network spec implies at an input shape, without running it: every layer's output shape, parameter count,
 * multiply-adds and receptive field (Araujo et al., Distill 2019), through residuals and concats. Bad specs are
 * refused with the layer's path and the rule it breaks.
 */
import { ConvLabError, check } from '../errors';
import type { Pair } from '../geometry';
import { INPUT_FIELD, nextField, unionField, type RfInfo, type RfLayer } from '../receptive-field';
import type { LayerSpec, NetSpec } from './model';

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

/** Where inference stands between layers: the shape, the field of a unit, and the spatial grid units lie on. */
export interface InferState {
  shape: number[];
  field: RfInfo;
  /** H×W of the last spatial map; a flatten keeps it so a dense layer after it still sees that whole map. */
  grid: Pair;
}

/** The state before the first layer, for an NCHW input. */
export function inputState(shape: readonly number[]): InferState {
  return { shape: [...shape], field: INPUT_FIELD, grid: [shape[2], shape[3]] };
}

const IDENTITY: RfLayer = { kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1] };

/** A shape as the book and the messages write it: (1, 96, 54, 54). */
export const shapeTuple = (s: readonly number[]): string => `(${s.join(', ')})`;

function wholeAtLeast(v: unknown, min: number, what: string): void {
  check(typeof v === 'number' && Number.isInteger(v) && v >= min, 'range', () => `${what} must be a whole number ≥ ${min}, got ${String(v)}`);
}

function checkPair(p: unknown, min: number, what: string): void {
  check(Array.isArray(p) && p.length === 2, 'format', () => `${what} must be a [height, width] pair`);
  wholeAtLeast(p[0], min, what);
  wholeAtLeast(p[1], min, what);
}

function needMap(shape: readonly number[], type: string): void {
  check(shape.length === 4, 'shape', () => `${type} needs an NCHW input, got ${shapeTuple(shape)}`);
}

/**
 * Floor-mode output size per axis, refusing a window that does not fit: ⌊(n + 2p − k)/s⌋ + 1 must be ≥ 1.
 * The message writes the arithmetic out, e.g. "⌊(2 + 2·0 − 3)/2⌋ + 1 = 0".
 */
function windowOutput(shape: readonly number[], kernel: Pair, stride: Pair, padding: Pair, what: string): Pair {
  const out: Pair = [0, 0];
  const axes = ['height', 'width'];
  for (let a = 0; a < 2; a++) {
    const n = shape[2 + a], k = kernel[a], s = stride[a], p = padding[a];
    out[a] = Math.floor((n + 2 * p - k) / s) + 1;
    check(out[a] >= 1, 'shape', () => `the ${kernel.join('×')} ${what} does not fit the input ${shape[2]}×${shape[3]} ` +
      `(${axes[a]}: ⌊(${n} + 2·${p} − ${k})/${s}⌋ + 1 = ${out[a]}); the input is too small`);
  }
  return out;
}

function windowLayer(spec: { kernel: Pair; stride: Pair; padding: Pair }): RfLayer {
  return { kernel: spec.kernel, stride: spec.stride, padding: spec.padding, dilation: [1, 1] };
}

function leaf(spec: LayerSpec, st: InferState): { out: InferState; parameters: number; macs: number } {
  const s = st.shape;
  const same = (field = st.field) => ({ out: { ...st, field }, parameters: 0, macs: 0 });
  switch (spec.type) {
    case 'conv2d': {
      needMap(s, 'conv2d');
      wholeAtLeast(spec.inChannels, 1, 'inChannels');
      wholeAtLeast(spec.outChannels, 1, 'outChannels');
      checkPair(spec.kernel, 1, 'kernel');
      checkPair(spec.stride, 1, 'stride');
      checkPair(spec.padding, 0, 'padding');
      check(spec.inChannels === s[1], 'shape', () => `conv2d expects ${spec.inChannels} input channels but its input ${shapeTuple(s)} has ${s[1]}`);
      const [oh, ow] = windowOutput(s, spec.kernel, spec.stride, spec.padding, 'kernel');
      const k = spec.kernel[0] * spec.kernel[1];
      return {
        out: { shape: [s[0], spec.outChannels, oh, ow], field: nextField(st.field, windowLayer(spec)), grid: [oh, ow] },
        parameters: spec.outChannels * spec.inChannels * k + spec.outChannels,
        macs: s[0] * spec.outChannels * oh * ow * spec.inChannels * k,
      };
    }
    case 'maxpool':
    case 'avgpool': {
      needMap(s, spec.type);
      checkPair(spec.kernel, 1, 'kernel');
      checkPair(spec.stride, 1, 'stride');
      checkPair(spec.padding, 0, 'padding');
      const [oh, ow] = windowOutput(s, spec.kernel, spec.stride, spec.padding, 'window');
      return { out: { shape: [s[0], s[1], oh, ow], field: nextField(st.field, windowLayer(spec)), grid: [oh, ow] }, parameters: 0, macs: 0 };
    }
    case 'dense': {
      check(s.length === 2 || s.length === 4, 'shape', () => `dense needs an (N, F) or NCHW input, got ${shapeTuple(s)}`);
      wholeAtLeast(spec.inFeatures, 1, 'inFeatures');
      wholeAtLeast(spec.outFeatures, 1, 'outFeatures');
      const f = s.slice(1).reduce((a, b) => a * b, 1);
      check(spec.inFeatures === f, 'shape', () => `dense expects ${spec.inFeatures} input features but its input ${shapeTuple(s)} flattens to ${f}`);
      // Every output reads every position of the last map: a window the size of that map.
      const field = nextField(st.field, { ...IDENTITY, kernel: st.grid });
      return { out: { shape: [s[0], spec.outFeatures], field, grid: [1, 1] }, parameters: f * spec.outFeatures + spec.outFeatures, macs: s[0] * f * spec.outFeatures };
    }
    case 'global_avg_pool': {
      needMap(s, 'global_avg_pool');
      return { out: { shape: [s[0], s[1], 1, 1], field: nextField(st.field, { ...IDENTITY, kernel: [s[2], s[3]] }), grid: [1, 1] }, parameters: 0, macs: 0 };
    }
    case 'flatten':
      check(s.length >= 2, 'shape', () => `flatten needs a batch axis, got ${shapeTuple(s)}`);
      return { out: { ...st, shape: [s[0], s.slice(1).reduce((a, b) => a * b, 1)] }, parameters: 0, macs: 0 };
    case 'batchnorm': {
      check(s.length === 2 || s.length === 4, 'shape', () => `batchnorm needs an (N, F) or NCHW input, got ${shapeTuple(s)}`);
      wholeAtLeast(spec.channels, 1, 'channels');
      check(spec.channels === s[1], 'shape', () => `batchnorm has ${spec.channels} channels but its input ${shapeTuple(s)} has ${s[1]}`);
      return { out: { ...st }, parameters: 2 * spec.channels, macs: 0 };
    }
    case 'dropout':
      check(typeof spec.rate === 'number' && spec.rate >= 0 && spec.rate < 1, 'range', () => `dropout rate must be in [0, 1), got ${String(spec.rate)}`);
      return same();
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return same();
    default:
      throw new ConvLabError('format', `unknown layer type '${String((spec as { type: unknown }).type)}'`);
  }
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
  const at = rows.length;
  let out: InferState;
  if (spec.type === 'residual' || spec.type === 'concat') {
    rows.push(undefined as unknown as LayerInfo); // the container's row goes before its children's
    const branches = spec.type === 'residual' ? [spec.body, spec.shortcut] : spec.branches;
    check(Array.isArray(branches) && branches.length > 0, 'format', () => `${spec.type} needs ${spec.type === 'residual' ? 'a body and a shortcut' : 'branches'}`);
    const names = spec.type === 'residual' ? ['body', 'shortcut'] : branches.map((_, b) => `branches.${b}`);
    const outs = branches.map((b, k) => inferInto(b, st, rows, `${path}.${names[k]}.`, depth + 1));
    const field = unionField(outs.map((o) => o.field));
    if (spec.type === 'residual') {
      const [y, x] = outs.map((o) => o.shape);
      check(y.length === x.length && y.every((d, k) => d === x[k]), 'shape',
        () => `the body gives ${shapeTuple(y)} but the shortcut gives ${shapeTuple(x)}; adding them needs equal shapes`);
      out = { shape: y, field, grid: outs[0].grid };
    } else {
      const first = outs[0].shape;
      outs.forEach((o, b) => check(o.shape.length === 4 && o.shape[0] === first[0] && o.shape[2] === first[2] && o.shape[3] === first[3], 'shape',
        () => `branch ${b} gives ${shapeTuple(o.shape)} but branch 0 gives ${shapeTuple(first)}; concat needs equal N, H and W`));
      out = { shape: [first[0], outs.reduce((c, o) => c + o.shape[1], 0), first[2], first[3]], field, grid: outs[0].grid };
    }
    const children = rows.slice(at + 1).filter((r) => r.depth === depth + 1);
    rows[at] = {
      path, depth, spec, input: st.shape, output: out.shape, inputGrid: st.grid, field: out.field,
      parameters: children.reduce((a, r) => a + r.parameters, 0), macs: children.reduce((a, r) => a + r.macs, 0),
    };
    return out;
  }
  const r = leaf(spec, st);
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

