/**
 * A network as a DAG: nodes that read and write named tensors (edges by name), the graph's inputs with their static
 * shapes, its constants (weights and folded shapes, all float32) and its outputs. Plain data, so a graph crosses a
 * worker boundary by structured clone. Any importer (ONNX today) builds one; core runs, infers and probes it.
 */
import type { Tensor } from '../tensor';

/** An attribute as a node carries it: a number, a list of numbers, a string or a constant tensor. */
export type GraphAttr = number | number[] | string | Tensor;
export type GraphAttrs = Readonly<Record<string, GraphAttr>>;

/** One node: its op's name in the graph-op table, the tensors it reads ('' for an optional input left out) and writes. */
export interface GraphNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: GraphAttrs;
}

export interface GraphInput {
  name: string;
  shape: number[];
}

/** A DAG with its nodes in topological order (every tensor is written before it is read). */
export interface Graph {
  inputs: GraphInput[];
  outputs: string[];
  constants: Map<string, Tensor>;
  nodes: GraphNode[];
  /** The operator-set version whose defaults the attributes follow (Softmax's axis, Squeeze's axes…). */
  opset: number;
}
