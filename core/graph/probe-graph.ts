/**
 * What one unit of a node reads, walked back through the DAG: in every earlier tensor the box it reads (one per
 * distinct path, and their union), down to the graph's input. A window (conv, pooling, pad) widens a box by its
 * kernel and stride; an element-wise op or a concatenation passes it on to every input; an op that mixes every
 * position (a dense head, a global pooling, a reshape) reads the whole of its input.
 */
import { ConvLabError } from '../errors';
import type { Graph, GraphNode } from './graph';
import type { GraphFacts } from './infer-graph';
import { opContext } from './infer-graph';
import type { GraphReach } from './ops/graph-op';
import { graphOpOf } from './ops/table';

/** Rows top…bottom and columns left…right of an H×W map, both ends included. */
export interface MapBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The boxes a unit reads in one tensor: one per distinct path (at most MAX_PATHS), on an NCHW map. */
export interface TensorReach {
  tensor: string;
  paths: MapBox[];
  union: MapBox;
}

const MAX_PATHS = 16;
const whole = (s: readonly number[]): MapBox => ({ top: 0, left: 0, bottom: s[2] - 1, right: s[3] - 1 });
const key = (b: MapBox): string => `${b.top},${b.left},${b.bottom},${b.right}`;

function unionOf(boxes: MapBox[]): MapBox {
  return {
    top: Math.min(...boxes.map((b) => b.top)), left: Math.min(...boxes.map((b) => b.left)),
    bottom: Math.max(...boxes.map((b) => b.bottom)), right: Math.max(...boxes.map((b) => b.right)),
  };
}

/** `box` of an output read back through `reach` into an input of shape `s` (rank 4), clipped to it. */
function back(box: MapBox | 'whole', reach: GraphReach, s: readonly number[]): MapBox {
  if (box === 'whole' || reach === 'all') return whole(s);
  if (reach === 'same') {
    // A 1×1 input broadcast over the map (a squeeze-excitation gate) is read whole.
    return s[2] === 1 && s[3] === 1 ? whole(s) : { top: Math.min(box.top, s[2] - 1), left: Math.min(box.left, s[3] - 1), bottom: Math.min(box.bottom, s[2] - 1), right: Math.min(box.right, s[3] - 1) };
  }
  const { kernel: [kh, kw], stride: [sh, sw], dilation: [dh, dw], pads: [pt, pl] } = reach;
  return {
    top: Math.max(0, box.top * sh - pt), left: Math.max(0, box.left * sw - pl),
    bottom: Math.min(s[2] - 1, box.bottom * sh - pt + (kh - 1) * dh), right: Math.min(s[3] - 1, box.right * sw - pl + (kw - 1) * dw),
  };
}

/** The node named `name`, refused by name when the graph has none. */
export function nodeNamed(graph: Graph, name: string): GraphNode {
  const node = graph.nodes.find((n) => n.name === name);
  if (node === undefined) throw new ConvLabError('range', `the model has no node '${name}'`);
  return node;
}

/** The unit `unit` of `node`'s first output ([c, y, x] on a map, [f] on a vector) as a box, refused outside the output. */
export function unitBox(shape: readonly number[], unit: readonly number[], node: string): MapBox | 'whole' {
  const dims = shape.slice(1);
  if (unit.length !== dims.length || unit.some((u, i) => u >= dims[i])) {
    throw new ConvLabError('range', `unit [${unit.join(', ')}] is outside node '${node}', whose output is ${shape.join('×')}`);
  }
  return shape.length === 4 ? { top: unit[1], left: unit[2], bottom: unit[1], right: unit[2] } : 'whole';
}

/** The boxes unit `unit` of node `name` reads in every earlier NCHW tensor, the graph's inputs included. */
export function probeGraph(graph: Graph, facts: GraphFacts, name: string, unit: readonly number[]): TensorReach[] {
  const node = nodeNamed(graph, name);
  const start = unitBox(facts.shapes.get(node.outputs[0])!, unit, name);
  const reached = new Map<string, (MapBox | 'whole')[]>([[node.outputs[0], [start]]]);
  const at = graph.nodes.indexOf(node);
  for (let i = at; i >= 0; i--) {
    const n = graph.nodes[i];
    // Paths that met again read the same box: kept once, so DenseNet's joins do not multiply them.
    const outs = [...new Map(n.outputs.flatMap((o) => reached.get(o) ?? []).map((b) => [b === 'whole' ? b : key(b), b])).values()].slice(0, 4 * MAX_PATHS);
    if (outs.length === 0) continue;
    const ins = n.inputs.map((t) => (t === '' ? undefined : facts.shapes.get(t)));
    const reach = graphOpOf(n).reach?.(ins, opContext(graph, n)) ?? 'same';
    n.inputs.forEach((t, k) => {
      const s = ins[k];
      if (t === '' || s === undefined || graph.constants.has(t)) return;
      const list = reached.get(t) ?? [];
      for (const box of outs) list.push(s.length === 4 ? back(box, k === 0 ? reach : 'same', s) : 'whole');
      reached.set(t, list);
    });
  }
  const result: TensorReach[] = [];
  for (const [tensor, list] of reached) {
    const s = facts.shapes.get(tensor)!;
    if (s.length !== 4) continue;
    const seen = new Map<string, MapBox>();
    for (const b of list) { const box = b === 'whole' ? whole(s) : b; seen.set(key(box), box); }
    const paths = [...seen.values()].slice(0, MAX_PATHS);
    result.push({ tensor, paths, union: unionOf([...seen.values()]) });
  }
  return result;
}
