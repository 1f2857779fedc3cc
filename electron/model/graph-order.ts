/**
 * Puts a graph's nodes in topological order (a node after every node it reads from), refusing a graph that reads a
 * tensor nothing provides (naming the node and the tensor), a tensor made twice, or a cycle (naming a node on it).
 */
import { ConvLabError } from '../../core/errors';
import type { ModelNode } from './model-description';

const label = (n: ModelNode): string => `node '${n.name}' (op ${n.op})`;

/** `nodes` in an order where each comes after its producers; `given` names the graph inputs and initializers. */
export function topologicalOrder(nodes: readonly ModelNode[], given: ReadonlySet<string>): ModelNode[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const out of n.outputs) {
      if (out === '') continue;
      const other = producer.get(out);
      if (other !== undefined) throw new ConvLabError('format', `tensor '${out}' is made by both ${label(nodes[other])} and ${label(n)}`);
      if (given.has(out)) throw new ConvLabError('format', `${label(n)} makes '${out}', which is already a graph input or initializer`);
      producer.set(out, i);
    }
  });
  const waitingOn = nodes.map(() => 0);
  const readers: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const input of new Set(n.inputs)) {
      if (input === '' || given.has(input)) continue;
      const p = producer.get(input);
      if (p === undefined) throw new ConvLabError('format', `${label(n)} reads '${input}', which no initializer, graph input or node provides`);
      waitingOn[i]++;
      readers[p].push(i);
    }
  });
  const order: ModelNode[] = [];
  const ready = nodes.map((_, i) => i).filter((i) => waitingOn[i] === 0);
  for (let k = 0; k < ready.length; k++) {
    const i = ready[k];
    order.push(nodes[i]);
    for (const r of readers[i]) if (--waitingOn[r] === 0) ready.push(r);
  }
  if (order.length < nodes.length) throw cycleError(nodes, producer, waitingOn);
  return order;
}

// Walks back from a node that never became ready through producers that never did either; the walk must revisit a
// node, and that node is on a cycle.
function cycleError(nodes: readonly ModelNode[], producer: Map<string, number>, waitingOn: number[]): ConvLabError {
  const seen = new Set<number>();
  let i = waitingOn.findIndex((w) => w > 0);
  while (!seen.has(i)) {
    seen.add(i);
    const stuck = nodes[i].inputs.map((t) => producer.get(t)).find((p) => p !== undefined && waitingOn[p] > 0);
    i = stuck as number;
  }
  return new ConvLabError('format', `the graph has a cycle through ${label(nodes[i])}; an ONNX graph must be acyclic`);
}
