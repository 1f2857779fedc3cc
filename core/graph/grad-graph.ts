/**
 * The gradient of one unit of a node with respect to the graph's input (where it is nonzero is the unit's
 * effective receptive field): a forward pass up to the node, then the backward rules walked back through the DAG,
 * gradients of a tensor read by several nodes summed.
 */
import { ConvLabError } from '../errors';
import type { Tensor } from '../tensor';
import type { Graph } from './graph';
import { opContext } from './infer-graph';
import { gradRuleOf } from './grad-rules';
import { nodeNamed } from './probe-graph';
import { runGraph } from './run-graph';

/** d(unit `unit` of node `name`'s first output) / d(the graph's first input), the input's shape. */
export function unitGradient(graph: Graph, inputs: Map<string, Tensor>, name: string, unit: readonly number[]): Tensor {
  const node = nodeNamed(graph, name);
  const at = graph.nodes.indexOf(node);
  const upTo: Graph = { ...graph, nodes: graph.nodes.slice(0, at + 1), outputs: [node.outputs[0]] };
  const { values } = runGraph(upTo, inputs);
  const out = values.get(node.outputs[0])!;
  const dims = out.shape.slice(1);
  if (unit.length !== dims.length || unit.some((u, i) => u >= dims[i])) {
    throw new ConvLabError('range', `unit [${unit.join(', ')}] is outside node '${name}', whose output is ${out.shape.join('×')}`);
  }
  const seed = new Float32Array(out.data.length);
  seed[unit.reduce((acc, u, i) => acc * dims[i] + u, 0)] = 1;
  const grads = new Map<string, Tensor>([[node.outputs[0], { shape: [...out.shape], data: seed }]]);
  for (let i = at; i >= 0; i--) {
    const n = graph.nodes[i];
    const g = grads.get(n.outputs[0]);
    if (g === undefined) continue;
    const ins = n.inputs.map((t) => (t === '' ? undefined : values.get(t)));
    const flows = gradRuleOf(n.name, n.op)(ins, n.outputs.map((o) => values.get(o)!), g, opContext(graph, n));
    n.inputs.forEach((t, k) => {
      const gk = flows[k];
      if (t === '' || gk === undefined || graph.constants.has(t)) return;
      const had = grads.get(t);
      if (had === undefined) grads.set(t, gk);
      else { const sum = had.data.slice(); for (let j = 0; j < sum.length; j++) sum[j] += gk.data[j]; grads.set(t, { shape: had.shape, data: sum }); }
    });
  }
  const input = graph.inputs[0];
  return grads.get(input.name) ?? { shape: [...input.shape], data: new Float32Array(input.shape.reduce((a, b) => a * b, 1)) };
}
