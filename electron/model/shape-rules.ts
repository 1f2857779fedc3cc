/**
 * The output shapes of the common CNN ops from their inputs' shapes (and their constant inputs, where a shape is
 * data: Reshape's target, Slice's bounds): what folding needs to evaluate Shape nodes, and what the listing prints.
 * An op without a rule here, or a rule missing an input's shape, gives undefined, never a guess.
 */
import { ConvLabError } from '../../core/errors';
import { type ConstValues, normAxis, sizeOf } from './const-values';
import type { ModelNode } from './model-description';
import { intAttr, intsAttr, stringAttr } from './node-attributes';

type Shape = number[];
type Maybe = Shape | undefined;

/** What a shape rule sees: its inputs' shapes and constant values (undefined where unknown), the model's opset. */
export interface ShapeContext {
  shapes: Maybe[];
  consts: (ConstValues | undefined)[];
  opset: number;
}

/** numpy's broadcasting of two shapes, refused by name when they do not fit. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ConvLabError('shape', `${op} cannot broadcast ${a.join('×')} with ${b.join('×')}: dims ${x} and ${y} differ and neither is 1`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Reshape's target with 0 (copy the input's dim, unless `allowZero`) and -1 (whatever is left) resolved. */
export function reshapeTarget(input: readonly number[], target: readonly number[], allowZero: boolean): Shape {
  const out = target.map((d, i) => (d === 0 && !allowZero ? input[i] : d));
  const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const total = sizeOf(input);
  const free = out.indexOf(-1);
  if (free >= 0) out[free] = known === 0 ? 0 : total / known;
  if (!out.every(Number.isInteger) || sizeOf(out) !== total) {
    throw new ConvLabError('shape', `Reshape cannot make ${input.join('×')} (${total} values) into ${target.join('×')}`);
  }
  return out;
}

/** `dims` with the given axes inserted as 1s (Unsqueeze). */
export function unsqueezed(dims: readonly number[], axes: readonly number[]): Shape {
  const rank = dims.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(a, rank)));
  const rest = [...dims];
  return Array.from({ length: rank }, (_, i) => (at.has(i) ? 1 : (rest.shift() as number)));
}

/** `dims` without the given axes, or without every 1 when no axes are given (Squeeze). */
export function squeezed(dims: readonly number[], axes: readonly number[] | undefined): Shape {
  const drop = axes ? new Set(axes.map((a) => normAxis(a, dims.length))) : undefined;
  return dims.filter((d, i) => (drop ? !drop.has(i) : d !== 1));
}

/** Slice's bounds, clamped as ONNX clamps them, per axis of `dims`: first index, step and count. */
export function sliceRanges(dims: readonly number[], starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]) {
  const ranges = dims.map((d) => ({ start: 0, step: 1, count: d }));
  starts.forEach((s0, i) => {
    const a = normAxis(axes?.[i] ?? i, dims.length);
    const d = dims[a];
    const step = steps?.[i] ?? 1;
    if (step === 0) throw new ConvLabError('range', `Slice has step 0 on axis ${a}; a step must not be 0`);
    let s = s0 < 0 ? s0 + d : s0;
    let e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (step > 0) { s = Math.min(Math.max(s, 0), d); e = Math.min(Math.max(e, 0), d); } else { s = Math.min(Math.max(s, 0), d - 1); e = Math.min(Math.max(e, -1), d - 1); }
    ranges[a] = { start: s, step, count: Math.max(0, Math.ceil((e - s) / step)) };
  });
  return ranges;
}

// Convolution and pooling: the spatial output size along each axis, auto_pad and ceil_mode as ONNX defines them,
// with PyTorch's rule that a ceil-mode window may not start in the end padding.
function windowed(node: ModelNode, x: Shape, kernel: number[], channels: number, ceil: boolean): Shape {
  const n = kernel.length;
  const strides = intsAttr(node, 'strides', new Array(n).fill(1));
  const dilations = intsAttr(node, 'dilations', new Array(n).fill(1));
  const pads = intsAttr(node, 'pads', new Array(2 * n).fill(0));
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const spatial = x.slice(2).map((size, i) => {
    const span = (kernel[i] - 1) * dilations[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / strides[i]);
    const padded = autoPad === 'VALID' ? size : size + pads[i] + pads[i + n];
    const q = (padded - span) / strides[i];
    let out = (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
    if (ceil && autoPad !== 'VALID' && (out - 1) * strides[i] >= size + pads[i]) out--;
    return out;
  });
  return [x[0], channels, ...spatial];
}

function convTranspose(node: ModelNode, x: Shape, w: Shape): Shape {
  const n = w.length - 2;
  const channels = w[1] * intAttr(node, 'group', 1);
  const given = intsAttr(node, 'output_shape');
  if (given) return [x[0], channels, ...given.slice(-n)];
  const kernel = intsAttr(node, 'kernel_shape', w.slice(2));
  const strides = intsAttr(node, 'strides', new Array(n).fill(1));
  const dilations = intsAttr(node, 'dilations', new Array(n).fill(1));
  const pads = intsAttr(node, 'pads', new Array(2 * n).fill(0));
  const extra = intsAttr(node, 'output_padding', new Array(n).fill(0));
  const same = stringAttr(node, 'auto_pad', 'NOTSET').startsWith('SAME');
  return [x[0], channels, ...x.slice(2).map((size, i) => (same ? size * strides[i]
    : strides[i] * (size - 1) + extra[i] + (kernel[i] - 1) * dilations[i] + 1 - pads[i] - pads[i + n]))];
}

function matMul(a: Shape, b: Shape): Shape {
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), 'MatMul');
  if (a2[a2.length - 1] !== b2[b2.length - 2]) throw new ConvLabError('shape', `MatMul cannot multiply ${a.join('×')} by ${b.join('×')}: inner dims ${a2[a2.length - 1]} and ${b2[b2.length - 2]} differ`);
  return [...batch, ...(a.length === 1 ? [] : [a2[a2.length - 2]]), ...(b.length === 1 ? [] : [b2[b2.length - 1]])];
}

function reduced(node: ModelNode, c: ShapeContext, x: Shape): Maybe {
  const fromInput = node.op === 'ReduceSum' ? c.opset >= 13 : c.opset >= 18;
  const axes = fromInput ? c.consts[1]?.values : intsAttr(node, 'axes');
  if (fromInput && node.inputs[1] && !axes) return undefined;
  const all = !axes || axes.length === 0;
  if (all && intAttr(node, 'noop_with_empty_axes', 0) === 1) return x;
  const drop = new Set((all ? x.map((_, i) => i) : axes).map((a) => normAxis(a, x.length)));
  const keep = intAttr(node, 'keepdims', 1) === 1;
  return x.flatMap((d, i) => (drop.has(i) ? (keep ? [1] : []) : [d]));
}

function split(node: ModelNode, c: ShapeContext, x: Shape): Maybe[] {
  const axis = normAxis(intAttr(node, 'axis', 0), x.length);
  const parts = (c.opset >= 13 ? c.consts[1]?.values : intsAttr(node, 'split')) ??
    Array.from({ length: node.outputs.length }, (_, i) => Math.min(Math.ceil(x[axis] / node.outputs.length), x[axis] - i * Math.ceil(x[axis] / node.outputs.length)));
  return parts.map((p) => x.map((d, i) => (i === axis ? p : d)));
}

function padded(node: ModelNode, c: ShapeContext, x: Shape): Maybe {
  const pads = c.opset >= 11 ? c.consts[1]?.values : intsAttr(node, 'pads') ?? intsAttr(node, 'paddings');
  if (!pads) return undefined;
  const axes = c.consts[3]?.values.map((a) => normAxis(a, x.length)) ?? x.map((_, i) => i);
  const out = [...x];
  axes.forEach((a, i) => { out[a] += pads[i] + pads[i + axes.length]; });
  return out;
}

const SAME_SHAPE = ['Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Softmax', 'LogSoftmax',
  'Identity', 'Cast', 'Elu', 'Selu', 'Softplus', 'Gelu', 'Erf', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Reciprocal', 'Floor', 'Ceil',
  'BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'LRN', 'Dropout', 'Not', 'Sign'];
const BROADCAST = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'And', 'Or', 'Where'];

type Rule = (node: ModelNode, c: ShapeContext, x: Shape) => Maybe | Maybe[];

const RULES: Record<string, Rule> = {
  Conv: (node, c, x) => c.shapes[1] && windowed(node, x, intsAttr(node, 'kernel_shape', c.shapes[1].slice(2)), c.shapes[1][0], false),
  ConvTranspose: (node, c, x) => c.shapes[1] && convTranspose(node, x, c.shapes[1]),
  MaxPool: (node, _, x) => windowed(node, x, intsAttr(node, 'kernel_shape', []), x[1], intAttr(node, 'ceil_mode', 0) === 1),
  AveragePool: (node, _, x) => windowed(node, x, intsAttr(node, 'kernel_shape', []), x[1], intAttr(node, 'ceil_mode', 0) === 1),
  GlobalAveragePool: (_, __, x) => [...x.slice(0, 2), ...x.slice(2).map(() => 1)],
  GlobalMaxPool: (_, __, x) => [...x.slice(0, 2), ...x.slice(2).map(() => 1)],
  Gemm: (node, c, x) => {
    const b = c.shapes[1];
    return b && [intAttr(node, 'transA', 0) ? x[1] : x[0], intAttr(node, 'transB', 0) ? b[0] : b[1]];
  },
  MatMul: (_, c, x) => c.shapes[1] && matMul(x, c.shapes[1]),
  Flatten: (node, _, x) => {
    // Flatten's axis may also be the rank itself (everything in the first dim).
    const given = intAttr(node, 'axis', 1);
    const axis = given === x.length ? given : normAxis(given, x.length);
    return [sizeOf(x.slice(0, axis)), sizeOf(x.slice(axis))];
  },
  Reshape: (node, c, x) => c.consts[1] && reshapeTarget(x, c.consts[1].values, intAttr(node, 'allowzero', 0) === 1),
  Transpose: (node, _, x) => intsAttr(node, 'perm', x.map((_, i) => x.length - 1 - i)).map((p) => x[normAxis(p, x.length)]),
  Concat: (node, c, x) => {
    if (c.shapes.some((s) => !s)) return undefined;
    const axis = normAxis(intAttr(node, 'axis', 0), x.length);
    return x.map((d, i) => (i === axis ? (c.shapes as Shape[]).reduce((s, t) => s + t[axis], 0) : d));
  },
  Split: split,
  Slice: (node, c, x) => {
    const [starts, ends, axes, steps] = c.opset >= 10 ? c.consts.slice(1).map((v) => v?.values) : [intsAttr(node, 'starts'), intsAttr(node, 'ends'), intsAttr(node, 'axes')];
    return starts && ends ? sliceRanges(x, starts, ends, axes, steps).map((r) => r.count) : undefined;
  },
  Squeeze: (node, c, x) => squeezed(x, c.opset >= 13 ? c.consts[1]?.values : intsAttr(node, 'axes')),
  Unsqueeze: (node, c, x) => {
    const axes = c.opset >= 13 ? c.consts[1]?.values : intsAttr(node, 'axes');
    return axes && unsqueezed(x, axes);
  },
  Pad: padded,
  ReduceMean: reduced, ReduceSum: reduced, ReduceMax: reduced, ReduceMin: reduced, ReduceProd: reduced, ReduceL2: reduced,
  Shape: (_, __, x) => [x.length],
  Gather: (node, c, x) => {
    const axis = normAxis(intAttr(node, 'axis', 0), x.length);
    return c.shapes[1] && [...x.slice(0, axis), ...c.shapes[1], ...x.slice(axis + 1)];
  },
  Expand: (_, c, x) => c.consts[1] && broadcastShapes(x, c.consts[1].values, 'Expand'),
  ConstantOfShape: (_, c) => c.consts[0]?.values,
  Resize: (_, c, x) => c.consts[3]?.values ?? (c.consts[2] && c.consts[2].values.length > 0 ? x.map((d, i) => Math.floor(d * c.consts[2]!.values[i])) : undefined),
};
// These rules give one shape per output; the others give the one output's shape.
const MULTI_OUTPUT = new Set(['Split', ...SAME_SHAPE]);
for (const op of SAME_SHAPE) RULES[op] = (node, _, x) => node.outputs.map(() => x);
for (const op of BROADCAST) {
  RULES[op] = (_, c) => (c.shapes.every((s) => s) ? (c.shapes as Shape[]).reduce((a, b) => broadcastShapes(a, b, op)) : undefined);
}

/** The shapes of `node`'s outputs, or undefined for those this module cannot tell. */
export function outputShapes(node: ModelNode, c: ShapeContext): Maybe[] {
  const rule = RULES[node.op];
  const x = c.shapes[0];
  if (!rule || (!x && node.op !== 'ConstantOfShape')) return node.outputs.map(() => undefined);
  const out = rule(node, c, x as Shape);
  if (out === undefined) return node.outputs.map(() => undefined);
  return MULTI_OUTPUT.has(node.op) ? (out as Maybe[]) : [out as Shape];
}
