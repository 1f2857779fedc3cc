/**
 * Evaluates the ops of shape subgraphs on constants: Constant, Shape, Size, Gather, Slice, Concat, ConstantOfShape,
 * Cast, Squeeze, Unsqueeze, Reshape, Identity, Range and integer arithmetic, as torchvision's exports chain them.
 */
import type { ModelNode } from './model-description';
import { ConvLabError } from '../../core/errors';
import { type ConstValues, FOLD_MAX_ELEMENTS, type ValueKind, checkedDims, eachIndex, normAxis, sizeOf, stridesOf, valuesOf } from './const-values';
import { floatAttr, intAttr, intsAttr, tensorAttr } from './node-attributes';
import { broadcastShapes, reshapeTarget, sliceRanges, squeezed, unsqueezed } from './shape-rules';

/** What an evaluator sees: the node's constant inputs, the shapes known so far, the model's opset. */
export interface EvalContext {
  inputs: (ConstValues | undefined)[];
  shapeOf: (tensor: string) => number[] | undefined;
  opset: number;
}

type Evaluator = (node: ModelNode, c: EvalContext) => ConstValues[] | undefined;

const int64 = (values: number[], dims = [values.length]): ConstValues => ({ dims, values, kind: 'int64' });

// ONNX TensorProto.DataType numbers a Cast may name: the float ones stay float, int64 is its own kind.
const castKind = (to: number): ValueKind => (to === 1 || to === 10 || to === 11 || to === 16 ? 'float' : to === 7 ? 'int64' : 'int32');

function constant(node: ModelNode): ConstValues[] {
  const t = tensorAttr(node, 'value');
  if (t) return [valuesOf(t)];
  const a = node.attributes;
  if (a.value_float) return [{ dims: [], values: [floatAttr(node, 'value_float', 0)], kind: 'float' }];
  if (a.value_floats?.type === 'floats') return [{ dims: [a.value_floats.value.length], values: a.value_floats.value, kind: 'float' }];
  if (a.value_int) return [int64([intAttr(node, 'value_int', 0)], [])];
  return [int64(intsAttr(node, 'value_ints', []))];
}

function gather(data: ConstValues, indices: ConstValues, axisAttr: number): ConstValues | undefined {
  const axis = normAxis(axisAttr, data.dims.length);
  const bad = indices.values.find((k) => !(k >= -data.dims[axis] && k < data.dims[axis]));
  if (bad !== undefined) throw new ConvLabError('range', `Gather index ${bad} is outside axis ${axis} of size ${data.dims[axis]}`);
  const dims = [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)];
  if (sizeOf(dims) > FOLD_MAX_ELEMENTS) return undefined;
  const strides = stridesOf(data.dims);
  const values: number[] = [];
  const q = indices.dims.length;
  eachIndex(dims, (index) => {
    const k = indices.values[index.slice(axis, axis + q).reduce((acc, v, i) => acc * indices.dims[i] + v, 0)];
    const at = [...index.slice(0, axis), k < 0 ? k + data.dims[axis] : k, ...index.slice(axis + q)];
    values.push(data.values[at.reduce((acc, v, i) => acc + v * strides[i], 0)]);
  });
  return { dims, values, kind: data.kind };
}

function slice(node: ModelNode, c: EvalContext): ConstValues[] | undefined {
  const [data] = c.inputs;
  const args = c.opset >= 10 ? c.inputs.slice(1).map((v) => v?.values) : [intsAttr(node, 'starts'), intsAttr(node, 'ends'), intsAttr(node, 'axes')];
  if (!data || !args[0] || !args[1]) return undefined;
  const ranges = sliceRanges(data.dims, args[0], args[1], args[2], args[3]);
  const strides = stridesOf(data.dims);
  const dims = ranges.map((r) => r.count);
  const values: number[] = [];
  eachIndex(dims, (index) => values.push(data.values[index.reduce((acc, v, i) => acc + (ranges[i].start + v * ranges[i].step) * strides[i], 0)]));
  return [{ dims, values, kind: data.kind }];
}

function concat(inputs: ConstValues[], axisAttr: number): ConstValues {
  const axis = normAxis(axisAttr, inputs[0].dims.length);
  const dims = [...inputs[0].dims];
  dims[axis] = inputs.reduce((s, t) => s + t.dims[axis], 0);
  const outer = sizeOf(dims.slice(0, axis));
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const t of inputs) {
      const chunk = sizeOf(t.dims.slice(axis));
      values.push(...t.values.slice(o * chunk, (o + 1) * chunk));
    }
  }
  return { dims, values, kind: inputs[0].kind };
}

const ARITHMETIC: Record<string, (a: number, b: number, int: boolean) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b, int) => (int ? Math.trunc(a / b) : a / b),
  Max: (a, b) => Math.max(a, b),
  Min: (a, b) => Math.min(a, b),
  Equal: (a, b) => Number(a === b),
};

function arithmetic(op: string, a: ConstValues, b: ConstValues): ConstValues | undefined {
  const dims = broadcastShapes(a.dims, b.dims, op);
  if (sizeOf(dims) > FOLD_MAX_ELEMENTS) return undefined;
  const at = (t: ConstValues, index: number[]) => {
    const off = dims.length - t.dims.length;
    return t.values[t.dims.reduce((acc, d, i) => acc * d + (d === 1 ? 0 : index[i + off]), 0)];
  };
  const int = a.kind !== 'float';
  const values: number[] = [];
  eachIndex(dims, (index) => values.push(ARITHMETIC[op](at(a, index), at(b, index), int)));
  return { dims, values, kind: op === 'Equal' ? 'int32' : a.kind };
}

const axesOf = (node: ModelNode, c: EvalContext): number[] | undefined => (c.opset >= 13 ? c.inputs[1]?.values : intsAttr(node, 'axes'));

const EVALUATORS: Record<string, Evaluator> = {
  Constant: (node) => constant(node),
  Identity: (_, c) => [c.inputs[0]!],
  Shape: (node, c) => {
    const shape = c.shapeOf(node.inputs[0]);
    if (!shape) return undefined;
    // Shape's start and end are clamped to the rank, not refused (opset 15).
    const clamp = (a: number) => Math.min(Math.max(a < 0 ? a + shape.length : a, 0), shape.length);
    return [int64(shape.slice(clamp(intAttr(node, 'start', 0)), clamp(intAttr(node, 'end', shape.length))))];
  },
  Size: (node, c) => {
    const shape = c.shapeOf(node.inputs[0]);
    return shape && [int64([sizeOf(shape)], [])];
  },
  Gather: (node, c) => {
    const out = gather(c.inputs[0]!, c.inputs[1]!, intAttr(node, 'axis', 0));
    return out && [out];
  },
  Slice: slice,
  Concat: (node, c) => [concat(c.inputs as ConstValues[], intAttr(node, 'axis', 0))],
  ConstantOfShape: (node, c) => {
    const dims = checkedDims(c.inputs[0]!.values, 'ConstantOfShape');
    if (sizeOf(dims) > FOLD_MAX_ELEMENTS) return undefined;
    const fill = tensorAttr(node, 'value');
    const v = fill ? valuesOf(fill) : { values: [0], kind: 'float' as const };
    return [{ dims, values: new Array<number>(sizeOf(dims)).fill(v.values[0]), kind: v.kind }];
  },
  Cast: (node, c) => {
    const kind = castKind(intAttr(node, 'to', 1));
    const t = c.inputs[0]!;
    return [{ dims: t.dims, values: kind === 'float' ? t.values : t.values.map(Math.trunc), kind }];
  },
  Unsqueeze: (node, c) => {
    const axes = axesOf(node, c);
    return axes && [{ ...c.inputs[0]!, dims: unsqueezed(c.inputs[0]!.dims, axes) }];
  },
  Squeeze: (node, c) => [{ ...c.inputs[0]!, dims: squeezed(c.inputs[0]!.dims, axesOf(node, c)) }],
  Reshape: (node, c) => [{ ...c.inputs[0]!, dims: reshapeTarget(c.inputs[0]!.dims, c.inputs[1]!.values, intAttr(node, 'allowzero', 0) === 1) }],
  Range: (_, c) => {
    const [start, limit, delta] = c.inputs.map((v) => v!.values[0]);
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    if (!(n <= FOLD_MAX_ELEMENTS)) return undefined;
    return [{ dims: [n], values: Array.from({ length: n }, (_, i) => start + i * delta), kind: c.inputs[0]!.kind }];
  },
};
for (const op of Object.keys(ARITHMETIC)) {
  EVALUATORS[op] = (_, c) => {
    const out = arithmetic(op, c.inputs[0]!, c.inputs[1]!);
    return out && [out];
  };
}

/** The ops foldShapes evaluates when their inputs are constant (Shape and Size: when their input's shape is known). */
export const FOLDABLE_OPS: ReadonlySet<string> = new Set(Object.keys(EVALUATORS));

/** The node's outputs as constants, or undefined when it cannot be evaluated here. */
export function evaluateNode(node: ModelNode, c: EvalContext): ConstValues[] | undefined {
  return EVALUATORS[node.op]?.(node, c);
}
