/** Runs a graph forward on the engine's tensors, keeping every tensor a node writes (the maps every node shows). */
import { ConvLabError } from '../errors';
import { LIMITS } from '../limits';
import type { Tensor } from '../tensor';
import type { Graph } from './graph';
import { inferGraph, opContext, type GraphFacts } from './infer-graph';
import { graphOpOf } from './ops/table';

export interface GraphRun {
  /** The graph's outputs, in its order. */
  outputs: { name: string; tensor: Tensor }[];
  /** Every tensor by name: the inputs, the constants and each node's outputs. */
  values: Map<string, Tensor>;
  facts: GraphFacts;
}

export interface RunOptions {
  /** Most multiply-adds one run may cost (LIMITS.maxNetworkMultiplyAdds unless given). */
  maxMultiplyAdds?: number;
}

/** `graph` run on `inputs` (by input name); shapes must be the graph's. */
export function runGraph(graph: Graph, inputs: Map<string, Tensor>, options: RunOptions = {}): GraphRun {
  for (const i of graph.inputs) {
    const t = inputs.get(i.name);
    if (t === undefined) throw new ConvLabError('format', `input '${i.name}' is missing`);
    if (t.shape.length !== i.shape.length || t.shape.some((d, k) => d !== i.shape[k])) {
      throw new ConvLabError('shape', `input '${i.name}' is ${t.shape.join('×')}; the model takes ${i.shape.join('×')}`);
    }
  }
  const facts = inferGraph(graph);
  const limit = options.maxMultiplyAdds ?? LIMITS.maxNetworkMultiplyAdds;
  if (facts.multiplyAdds > limit) {
    throw new ConvLabError('limit', `this model costs ${facts.multiplyAdds.toLocaleString('en-US')} multiply-adds a run; the limit is ${limit.toLocaleString('en-US')}`);
  }
  const values = new Map<string, Tensor>(graph.constants);
  for (const [name, t] of inputs) values.set(name, t);
  for (const node of graph.nodes) {
    const op = graphOpOf(node);
    try {
      const outs = op.run(node.inputs.map((n) => (n === '' ? undefined : values.get(n))), opContext(graph, node));
      node.outputs.forEach((o, i) => { if (o && outs[i]) values.set(o, outs[i]); });
    } catch (e) {
      if (e instanceof ConvLabError) throw e.within(`node '${node.name}' (op ${node.op}): `);
      throw e;
    }
  }
  return { outputs: graph.outputs.map((name) => ({ name, tensor: values.get(name)! })), values, facts };
}
