import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureIo, fixtureModels } from './fixture-paths';
import { foldShapes } from './fold-shapes';
import type { ModelDescription, ModelNode } from './model-description';
import { openModel } from './read-onnx';

const open = (folder: string, name: string) => openModel(join(FIXTURES, folder, `${name}.onnx`));
const SHAPE_OPS = ['Shape', 'Gather', 'Unsqueeze', 'Concat', 'ConstantOfShape', 'Cast', 'Constant', 'Div'];
const node = (model: ModelDescription, op: string): ModelNode => model.nodes.find((n) => n.op === op) as ModelNode;
const ints = (model: ModelDescription, name: string) => Array.from(model.initializers.get(name)?.data ?? [], Number);

function model(nodes: Partial<ModelNode>[], inputs: [string, number[]][], outputs: string[], opset = 13): ModelDescription {
  return {
    producer: 'test', opset, notes: [], ops: [], declaredShapes: new Map(), initializers: new Map(),
    inputs: inputs.map(([name, shape]) => ({ name, shape, dtype: 'float32', resolved: [] })),
    outputs: outputs.map((name) => ({ name, shape: null, dtype: 'float32', resolved: [] })),
    nodes: nodes.map((n, i) => ({ name: `n${i}`, domain: '', inputs: [], outputs: [], attributes: {}, op: '', ...n })),
  };
}

describe('folding torchvision-style shape subgraphs', () => {
  it('x.view(x.size(0), -1): Shape, Gather, Unsqueeze and Concat become a Reshape with a constant target', async () => {
    const { model: folded, shapes, folded: gone } = foldShapes(await open('shapes', 'view_flatten'));
    expect(folded.nodes.map((n) => n.op)).toEqual(['Conv', 'Relu', 'Reshape', 'Gemm']);
    expect(gone.map((n) => n.op).sort()).toEqual(['Concat', 'Constant', 'Constant', 'Constant', 'Gather', 'Shape', 'Unsqueeze']);
    const reshape = node(folded, 'Reshape');
    expect(ints(folded, reshape.inputs[1])).toEqual([1, -1]);
    expect(shapes.get(reshape.outputs[0])).toEqual([1, 36]);
    expect(shapes.get(folded.outputs[0].name)).toEqual(fixtureIo(join(FIXTURES, 'shapes', 'view_flatten.onnx')).outputs[0].shape);
    expect(folded.notes.at(-1)).toBe('7 nodes of shape arithmetic folded to constants for the input shape 1×3×7×7 (3 Constant, 1 Shape, 1 Gather, 1 Unsqueeze, 1 Concat)');
  });

  it("ShuffleNet's channel shuffle: both Reshape targets computed from Shape, Gather, Div and Cast", async () => {
    const { model: folded, shapes } = foldShapes(await open('shapes', 'channel_shuffle'));
    expect(folded.nodes.map((n) => n.op)).toEqual(['Reshape', 'Transpose', 'Reshape']);
    const [first, , last] = folded.nodes;
    expect(ints(folded, first.inputs[1])).toEqual([1, 2, 2, 3, 3]);
    expect(ints(folded, last.inputs[1])).toEqual([1, -1, 3, 3]);
    expect(shapes.get(last.outputs[0])).toEqual([1, 4, 3, 3]);
  });

  it('a computed Slice end and a ConstantOfShape become constants', async () => {
    const { model: folded, shapes } = foldShapes(await open('shapes', 'zeros_like_slice'));
    expect(folded.nodes.map((n) => n.op)).toEqual(['Slice', 'Mul', 'Add']);
    const slice = node(folded, 'Slice');
    expect(slice.inputs.slice(1).map((name) => ints(folded, name))).toEqual([[0], [3], [1], [1]]);
    const zeros = folded.initializers.get(node(folded, 'Add').inputs[0]);
    expect(zeros?.dims).toEqual([1, 3, 4, 4]);
    expect(Array.from(zeros?.data ?? [], Number).every((v) => v === 0)).toBe(true);
    expect(shapes.get(folded.outputs[0].name)).toEqual([1, 3, 4, 4]);
  });

  it('leaves no shape op behind in any fixture, and tells every output shape as PyTorch gave it', async () => {
    for (const path of [...fixtureModels('nets'), ...fixtureModels('shapes')]) {
      const { model: folded, shapes } = foldShapes(await openModel(path));
      expect(folded.nodes.filter((n) => SHAPE_OPS.includes(n.op) && n.op !== 'Concat').map((n) => n.op), path).toEqual([]);
      expect(folded.outputs.map((o) => shapes.get(o.name)), path).toEqual(fixtureIo(path).outputs.map((t) => t.shape));
      for (const n of folded.nodes) for (const o of n.outputs) expect(shapes.has(o), `${path}: ${o}`).toBe(true);
    }
  });

  it("tells every one-op fixture's output shapes", async () => {
    for (const path of fixtureModels('ops')) {
      const { shapes } = foldShapes(await openModel(path));
      expect(fixtureIo(path).outputs.map((o) => shapes.get(o.name)), path).toEqual(fixtureIo(path).outputs.map((t) => t.shape));
    }
  });

  it('keeps a foldable node that makes a graph output, and drops initializers no remaining node reads', () => {
    const m = model([
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Constant', outputs: ['k'], attributes: { value: { type: 'tensor', value: { dims: [1], data: new BigInt64Array([2n]) } } } },
      { op: 'Mul', inputs: ['s', 'k'], outputs: ['y'] },
    ], [['x', [2, 3]]], ['y']);
    m.initializers.set('unused', { dims: [1], data: new Float32Array(1) });
    const { model: folded } = foldShapes(m);
    expect(folded.nodes.map((n) => n.op)).toEqual(['Mul']);
    expect(folded.initializers.has('unused')).toBe(false);
    expect(ints(folded, 's')).toEqual([2, 3]);
    expect(ints(folded, 'k')).toEqual([2]);
  });

  it("folds opset 11's attribute forms (Unsqueeze axes, Slice starts) and clamps INT64_MAX ends", () => {
    const m = model([
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Constant', outputs: ['st'], attributes: { value: { type: 'tensor', value: { dims: [1], data: new BigInt64Array([2n]) } } } },
      { op: 'Constant', outputs: ['en'], attributes: { value: { type: 'tensor', value: { dims: [1], data: new BigInt64Array([2n ** 63n - 1n]) } } } },
      { op: 'Slice', inputs: ['s', 'st', 'en'], outputs: ['hw'] },
      { op: 'Constant', outputs: ['zero'], attributes: { value: { type: 'tensor', value: { dims: [], data: new BigInt64Array([0n]) } } } },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['n'] },
      { op: 'Unsqueeze', inputs: ['n'], outputs: ['n1'], attributes: { axes: { type: 'ints', value: [0] } } },
      { op: 'Concat', inputs: ['n1', 'hw'], outputs: ['target'], attributes: { axis: { type: 'int', value: 0 } } },
      { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
    ], [['x', [1, 1, 4, 5]]], ['y'], 11);
    const { model: folded, shapes } = foldShapes(m);
    expect(folded.nodes.map((n) => n.op)).toEqual(['Reshape']);
    expect(ints(folded, 'target')).toEqual([1, 4, 5]);
    expect(shapes.get('y')).toEqual([1, 4, 5]);
  });
});
