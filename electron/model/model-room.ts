/**
 * The models an engine worker holds: opened from bytes (parsed, folded and turned into core's graph in this worker
 * thread, never in the page), run on one input with every node's output kept for the maps asked next, and probed.
 * A few models at a time: opening one more closes the oldest.
 */
import { ConvLabError } from '../../core/errors';
import { fieldSize, inferGraph, probeGraph, runGraph, unitGradient, type Graph, type GraphFacts } from '../../core/graph/index';
import type { Tensor } from '../../core/tensor';
import type { ModelForwardResponse, ModelProbeResponse, ModelTensorOut, OpenedModel } from '../contract/model-contract';
import { foldShapes } from './fold-shapes';
import { parseModel } from './read-onnx';
import { toGraph } from './to-graph';

/** Most models one worker keeps open. */
export const MAX_OPEN_MODELS = 4;
/** Most values one maps answer carries (16 Mi floats, 64 MiB): ask a big node for fewer channels. */
export const MAX_MAP_VALUES = 16 * 1024 * 1024;

interface HeldModel {
  graph: Graph;
  facts: GraphFacts;
  /** Every tensor of the last forward pass, by name. */
  values: Map<string, Tensor> | null;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export class ModelRoom {
  private readonly models = new Map<number, HeldModel>();

  /** Parses `bytes` into a model held under `id`, and describes it. */
  open(id: number, name: string, bytes: Uint8Array): OpenedModel {
    const fold = foldShapes(parseModel(bytes));
    const graph = toGraph(fold);
    const facts = inferGraph(graph);
    if (this.models.size >= MAX_OPEN_MODELS) this.models.delete(this.models.keys().next().value!);
    this.models.set(id, { graph, facts, values: null });
    const m = fold.model;
    const writer = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n.name] as const)));
    return {
      modelId: id, name, opset: m.opset, producer: m.producer, notes: m.notes,
      inputs: graph.inputs.map((i) => ({ name: i.name, shape: i.shape })),
      outputs: graph.outputs.map((o) => ({ name: o, shape: facts.shapes.get(o)! })),
      rows: facts.nodes.map((f) => ({
        name: f.node.name, op: f.node.op,
        from: f.node.inputs.flatMap((t) => (writer.has(t) ? [writer.get(t)!] : [])),
        shape: f.shapes[0], parameters: f.parameters, multiplyAdds: f.multiplyAdds,
        ...(f.field ? { field: { ...fieldSize(f.field), ...(f.field.whole ? { whole: true as const } : {}) } } : {}),
      })),
      parameters: facts.parameters, multiplyAdds: facts.multiplyAdds,
    };
  }

  private held(id: number): HeldModel {
    const m = this.models.get(id);
    if (m === undefined) throw new ConvLabError('range', `model ${id} is not open (open it again)`);
    return m;
  }

  private inputs(m: HeldModel, input: Tensor): Map<string, Tensor> {
    if (m.graph.inputs.length !== 1) throw new ConvLabError('range', `this model takes ${m.graph.inputs.length} inputs; ConvLab gives it one`);
    const want = m.graph.inputs[0];
    if (!sameShape(input.shape, want.shape)) throw new ConvLabError('shape', `the input is ${input.shape.join('×')}; the model takes ${want.shape.join('×')}`);
    return new Map([[want.name, input]]);
  }

  /** One forward pass: outputs, the first output's top `topK`, every node's output shape; the maps stay here. */
  forward(id: number, input: Tensor, topK: number): ModelForwardResponse {
    const m = this.held(id);
    const run = runGraph(m.graph, this.inputs(m, input));
    m.values = run.values;
    const first = run.outputs[0].tensor.data;
    const top = [...first.keys()].sort((a, b) => first[b] - first[a]).slice(0, topK).map((index) => ({ index, score: first[index] }));
    return {
      outputs: run.outputs.map((o) => ({ name: o.name, shape: [...o.tensor.shape], data: o.tensor.data.slice() })),
      top,
      nodes: m.facts.nodes.map((f) => ({ name: f.node.name, shape: f.shapes[0] })),
    };
  }

  /** One node's first output from the last forward pass, `count` channels from `offset` on a map. */
  maps(id: number, node: string, offset: number, count: number | undefined): ModelTensorOut {
    const m = this.held(id);
    if (m.values === null) throw new ConvLabError('range', `model ${id} has not run yet: run it on an input first`);
    const f = m.facts.nodes.find((n) => n.node.name === node);
    if (f === undefined) throw new ConvLabError('range', `the model has no node '${node}'`);
    const t = m.values.get(f.node.outputs[0])!;
    if (t.shape.length !== 4) {
      if (t.data.length > MAX_MAP_VALUES) throw new ConvLabError('limit', `node '${node}' holds ${t.data.length} values; one answer carries at most ${MAX_MAP_VALUES}`);
      return { name: node, shape: [...t.shape], data: t.data.slice() };
    }
    const [n, c, h, w] = t.shape;
    const take = count ?? c - offset;
    if (n !== 1 || offset + take > c) throw new ConvLabError('range', `channels ${offset}…${offset + take - 1} are outside node '${node}', whose output is ${t.shape.join('×')}`);
    if (take * h * w > MAX_MAP_VALUES) throw new ConvLabError('limit', `${take} channels of ${h}×${w} are ${take * h * w} values; one answer carries at most ${MAX_MAP_VALUES}: ask for fewer channels`);
    return { name: node, shape: [1, take, h, w], data: t.data.slice(offset * h * w, (offset + take) * h * w) };
  }

  /** A unit's window, the boxes it reads in every earlier map and in the input, and its gradient on the input. */
  probe(id: number, input: Tensor, node: string, unit: number[]): ModelProbeResponse {
    const m = this.held(id);
    const reaches = probeGraph(m.graph, m.facts, node, unit);
    const inputName = m.graph.inputs[0]?.name;
    const atInput = reaches.find((r) => r.tensor === inputName);
    const writer = new Map(m.graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n.name] as const)));
    const boxes = reaches.flatMap((r) => (writer.has(r.tensor) ? [{ node: writer.get(r.tensor)!, box: r.union }] : []));
    const whole = { top: 0, left: 0, bottom: (input.shape[2] ?? 1) - 1, right: (input.shape[3] ?? 1) - 1 };
    const gradient = unitGradient(m.graph, this.inputs(m, input), node, unit);
    return {
      node, unit,
      input: atInput ? { union: atInput.union, paths: atInput.paths } : { union: whole, paths: [whole] },
      boxes,
      gradient: { shape: [...gradient.shape], data: gradient.data },
    };
  }

  close(id: number): void {
    this.models.delete(id);
  }
}
