/**
 * An ONNX description (read and folded) as core's graph: every tensor as float32 (int64 constants such as Reshape's
 * shape or Slice's ends become floats; huge ends stay huge, and Slice clamps them), attributes as plain values. A
 * graph attribute (If, Loop) or an attribute of a type core has no use for is refused naming the node.
 */
import { ConvLabError } from '../../core/errors';
import type { Graph, GraphAttr } from '../../core/graph/index';
import type { Tensor } from '../../core/tensor';
import type { FoldResult } from './fold-shapes';
import type { ModelAttribute, ModelNode, ModelTensor } from './model-description';

/** A description's tensor as an engine tensor. */
export function engineTensor(t: ModelTensor): Tensor {
  const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
  return { shape: [...t.dims], data };
}

function attribute(node: ModelNode, name: string, a: ModelAttribute): GraphAttr {
  switch (a.type) {
    case 'float': case 'int': case 'string': case 'floats': case 'ints': return a.value;
    case 'tensor': return engineTensor(a.value);
    default: throw new ConvLabError('format', `node '${node.name}' (op ${node.op}): attribute '${name}' is a ${a.type === 'graph' ? 'subgraph' : 'kind of value'} ConvLab does not run`);
  }
}

/** The folded model as core's graph, its inputs at their static shapes. */
export function toGraph({ model }: FoldResult): Graph {
  const constants = new Map<string, Tensor>();
  for (const [name, t] of model.initializers) constants.set(name, engineTensor(t));
  const inputs = model.inputs.filter((v) => !constants.has(v.name)).map((v) => {
    if (v.shape === null) throw new ConvLabError('format', `input '${v.name}' has no shape`);
    return { name: v.name, shape: v.shape };
  });
  const nodes = model.nodes.map((n) => ({
    name: n.name,
    op: n.op,
    inputs: [...n.inputs],
    outputs: [...n.outputs],
    attrs: Object.fromEntries(Object.entries(n.attributes).map(([k, a]) => [k, attribute(n, k, a)])),
  }));
  return { inputs, outputs: model.outputs.map((v) => v.name), constants, nodes, opset: model.opset };
}
