/**
 * Folds a model's shape subgraphs for its static input shapes: walks the nodes in order, follows the shape of every
 * tensor through the common CNN ops (shape-rules.ts), and evaluates each node whose inputs are all constants (or,
 * for Shape, whose input's shape is known) to constants (fold-eval.ts). So `Reshape(x, Concat(Shape(x)[0], -1))`
 * becomes a Reshape with a constant target, and the Shape, Gather, Unsqueeze and Concat before it disappear.
 * Folded constants read by the nodes that stay become initializers; initializers nothing reads any more go.
 */
import { ConvLabError } from '../../core/errors';
import { type ConstValues, FOLD_MAX_ELEMENTS, sizeOf, tensorOf, valuesOf } from './const-values';
import { type EvalContext, FOLDABLE_OPS, evaluateNode } from './fold-eval';
import type { ModelDescription, ModelNode, ModelTensor } from './model-description';
import { outputShapes } from './shape-rules';

/** A folded model, the shape of every tensor that could be told, and the nodes folded away. */
export interface FoldResult {
  model: ModelDescription;
  shapes: Map<string, number[]>;
  folded: ModelNode[];
}

function foldable(node: ModelNode, c: EvalContext): boolean {
  if (!FOLDABLE_OPS.has(node.op)) return false;
  if (node.op === 'Shape' || node.op === 'Size') return c.shapeOf(node.inputs[0]) !== undefined;
  return node.inputs.every((name, i) => name === '' || (c.inputs[i] !== undefined && c.inputs[i].values.length <= FOLD_MAX_ELEMENTS));
}

/** `model` with its shape subgraphs folded to constants for its inputs' shapes. */
export function foldShapes(model: ModelDescription): FoldResult {
  const shapes = new Map<string, number[]>();
  const consts = new Map<string, ConstValues>();
  for (const v of model.inputs) if (v.shape) shapes.set(v.name, v.shape);
  for (const [name, t] of model.initializers) {
    shapes.set(name, t.dims);
    if (sizeOf(t.dims) <= FOLD_MAX_ELEMENTS) consts.set(name, valuesOf(t));
  }
  const graphOutputs = new Set(model.outputs.map((v) => v.name));
  const kept: ModelNode[] = [];
  const folded: ModelNode[] = [];
  // Evaluates `node` to constants if it can (true), else records the shapes of its outputs that can be told.
  const foldNode = (node: ModelNode): boolean => {
    const c: EvalContext = { inputs: node.inputs.map((n) => consts.get(n)), shapeOf: (n) => shapes.get(n), opset: model.opset };
    const values = foldable(node, c) ? evaluateNode(node, c) : undefined;
    if (values) {
      node.outputs.forEach((name, i) => { consts.set(name, values[i]); shapes.set(name, values[i].dims); });
      return true;
    }
    const out = outputShapes(node, { shapes: node.inputs.map((n) => shapes.get(n)), consts: c.inputs, opset: model.opset });
    node.outputs.forEach((name, i) => {
      const shape = out[i] ?? model.declaredShapes.get(name);
      if (shape) shapes.set(name, shape);
    });
    return false;
  };
  for (const node of model.nodes) {
    try {
      if (foldNode(node)) (node.outputs.some((o) => graphOutputs.has(o)) ? kept : folded).push(node); // a node that makes a graph output stays
      else kept.push(node);
    } catch (e) {
      const where = `node '${node.name}' (op ${node.op}): `;
      if (e instanceof ConvLabError) throw e.message.startsWith(where) ? e : e.within(where);
      throw new ConvLabError('format', `${where}its shapes cannot be worked out (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (folded.length === 0) return { model, shapes, folded };

  const read = new Set([...kept.flatMap((n) => n.inputs), ...graphOutputs]);
  const initializers = new Map<string, ModelTensor>();
  for (const [name, t] of model.initializers) if (read.has(name)) initializers.set(name, t);
  for (const n of folded) for (const o of n.outputs) if (read.has(o)) initializers.set(o, tensorOf(consts.get(o) as ConstValues));
  const counts = new Map<string, number>();
  for (const n of folded) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  const list = [...counts].map(([op, k]) => `${k} ${op}`).join(', ');
  const note = `${folded.length} node${folded.length === 1 ? '' : 's'} of shape arithmetic folded to constants for the input shape${model.inputs.length === 1 ? '' : 's'} ` +
    `${model.inputs.map((v) => v.shape?.join('×')).join(', ')} (${list})`;
  return {
    model: { ...model, initializers, nodes: kept, ops: [...new Set(kept.map((n) => n.op))].sort(), notes: [...model.notes, note] },
    shapes,
    folded,
  };
}
