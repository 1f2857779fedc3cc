/**
 * What a graph is before it runs: every tensor's shape, every node's parameters and multiply-adds, and every
 * tensor's receptive field, walked through the DAG in order (fields through branches and skips: per tensor the
 * distinct boxes of its paths from the input, and whether some path reads the whole input).
 */
import { ConvLabError } from '../errors';
import { LIMITS } from '../limits';
import { sizeOf, type Tensor } from '../tensor';
import type { Graph, GraphNode } from './graph';
import type { GraphOp, OpContext } from './ops/graph-op';
import { graphOpOf } from './ops/table';

/** One unit's reach into the input along one path: rows lo[0]…hi[0], columns lo[1]…hi[1] (unclipped). */
export interface PathBox {
  lo: [number, number];
  hi: [number, number];
}

/** A tensor's receptive field: its unit (0, 0)'s boxes, one per distinct path, and the input step between units. */
export interface GraphField {
  paths: PathBox[];
  jump: [number, number];
  /** True when some path mixes every position (a global pooling, a dense head, a squeeze-excitation gate). */
  whole: boolean;
}

/** What inference tells of one node. */
export interface NodeFacts {
  node: GraphNode;
  /** Its outputs' shapes. */
  shapes: number[][];
  parameters: number;
  multiplyAdds: number;
  /** Its first output's field; undefined when that output is not an NCHW map. */
  field: GraphField | undefined;
}

export interface GraphFacts {
  nodes: NodeFacts[];
  shapes: Map<string, number[]>;
  parameters: number;
  multiplyAdds: number;
}

/** Most distinct path boxes kept per tensor: DenseNet's concatenations would otherwise multiply them. */
const MAX_PATHS = 16;

export const opContext = (graph: Graph, node: GraphNode): OpContext => ({ attrs: node.attrs, opset: graph.opset, outputs: node.outputs.length });

function union(fields: GraphField[]): GraphField | undefined {
  if (fields.length === 0) return undefined;
  const seen = new Map<string, PathBox>();
  for (const f of fields) for (const p of f.paths) seen.set(`${p.lo}:${p.hi}`, p);
  return { paths: [...seen.values()].slice(0, MAX_PATHS), jump: fields[0].jump, whole: fields.some((f) => f.whole) };
}

/** The field of `op`'s output, from its inputs' fields. */
function fieldThrough(op: GraphOp, ins: (number[] | undefined)[], c: OpContext, inFields: (GraphField | undefined)[], out: number[]): GraphField | undefined {
  if (out.length !== 4) return undefined;
  const reach = op.reach?.(ins, c) ?? 'same';
  const present = inFields.filter((f): f is GraphField => f !== undefined);
  if (reach === 'same') return union(present);
  const base = inFields[0];
  if (base === undefined) return undefined;
  if (reach === 'all') return { ...base, whole: true };
  const { kernel, stride, dilation, pads } = reach;
  const paths = base.paths.map((p) => ({
    lo: [0, 1].map((a) => p.lo[a] - pads[a] * base.jump[a]) as [number, number],
    hi: [0, 1].map((a) => p.hi[a] + ((kernel[a] - 1) * dilation[a] - pads[a]) * base.jump[a]) as [number, number],
  }));
  return { paths, jump: [base.jump[0] * stride[0], base.jump[1] * stride[1]], whole: base.whole };
}

/** Shapes, costs and fields of every node of `graph`; an unknown op, a missing tensor or a tensor over the limit is refused by name. */
export function inferGraph(graph: Graph): GraphFacts {
  const shapes = new Map<string, number[]>();
  const fields = new Map<string, GraphField | undefined>();
  for (const i of graph.inputs) {
    shapes.set(i.name, i.shape);
    fields.set(i.name, i.shape.length === 4 ? { paths: [{ lo: [0, 0], hi: [0, 0] }], jump: [1, 1], whole: false } : undefined);
  }
  for (const [name, t] of graph.constants) shapes.set(name, [...t.shape]);
  const counted = new Set<string>();
  const nodes: NodeFacts[] = [];
  let parameters = 0, multiplyAdds = 0;
  for (const node of graph.nodes) {
    try {
      const op = graphOpOf(node);
      const ins = node.inputs.map((n) => {
        if (n === '') return undefined;
        const s = shapes.get(n);
        if (s === undefined) throw new ConvLabError('format', `input '${n}' is written by no node, input or weight`);
        return s;
      });
      const c = opContext(graph, node);
      const out = op.shapes(ins, c, node.inputs.map((n) => graph.constants.get(n)));
      out.forEach((s, i) => {
        if (sizeOf(s) > LIMITS.maxTensorSize) throw new ConvLabError('limit', `output ${s.join('×')} is ${sizeOf(s)} values; a tensor holds at most ${LIMITS.maxTensorSize}`);
        if (node.outputs[i]) shapes.set(node.outputs[i], s);
      });
      let params = 0;
      for (const w of op.weights ?? []) {
        const name = node.inputs[w];
        const t: Tensor | undefined = name ? graph.constants.get(name) : undefined;
        if (t !== undefined && !counted.has(name)) { counted.add(name); params += t.data.length; }
      }
      const macs = op.macs?.(ins, out, c) ?? 0;
      const field = fieldThrough(op, ins, c, node.inputs.map((n) => fields.get(n)), out[0]);
      node.outputs.forEach((o) => fields.set(o, field));
      nodes.push({ node, shapes: out, parameters: params, multiplyAdds: macs, field });
      parameters += params;
      multiplyAdds += macs;
    } catch (e) {
      const where = `node '${node.name}' (op ${node.op}): `;
      if (e instanceof ConvLabError) throw e.message.startsWith('node ') ? e : e.within(where);
      throw e;
    }
  }
  for (const o of graph.outputs) if (!shapes.has(o)) throw new ConvLabError('format', `output '${o}' is written by no node`);
  return { nodes, shapes, parameters, multiplyAdds };
}

/** A field's size and stride at the input: the union of its paths, rows × columns. */
export function fieldSize(f: GraphField): { size: [number, number]; stride: [number, number] } {
  const lo = [0, 1].map((a) => Math.min(...f.paths.map((p) => p.lo[a])));
  const hi = [0, 1].map((a) => Math.max(...f.paths.map((p) => p.hi[a])));
  return { size: [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1], stride: f.jump };
}
