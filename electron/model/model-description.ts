/**
 * What the ONNX reader hands on: a plain description of a model, every part checked, made only of strings, numbers,
 * arrays, Maps and typed arrays that own their buffers, so it crosses a worker boundary by structured clone (and its
 * typed arrays' buffers can be transferred: `modelTransfers`).
 */

/** Element types a tensor in a description may have (ONNX's names, float64 read as float32). */
export type ModelDtype = 'float32' | 'int64' | 'int32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'bool' | 'float16' | 'float64';

/** A tensor's values: float types as Float32Array, int64 as BigInt64Array, the smaller integer types as Int32Array. */
export type TensorData = Float32Array | BigInt64Array | Int32Array;

/** A constant tensor (an initializer, or a Constant node's value). */
export interface ModelTensor {
  dims: number[];
  data: TensorData;
}

/** A symbolic dimension of an input (ONNX dim_param, or no value at all) that the reader fixed to 1. */
export interface ResolvedDim {
  axis: number;
  param: string;
}

/** A graph input or output. `shape` is null for an output whose shape the file does not state. */
export interface ModelValue {
  name: string;
  shape: number[] | null;
  dtype: ModelDtype;
  /** The dims that were symbolic in the file, now 1 (inputs only). */
  resolved: ResolvedDim[];
}

/** An attribute, typed as ONNX types it. Integers are numbers (int64 values beyond 2^53 lose their last digits). */
export type ModelAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: ModelTensor }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'graph' }
  | { type: 'other'; onnxType: number };

/** One node of the graph. */
export interface ModelNode {
  name: string;
  op: string;
  /** '' for ONNX's default operator set. */
  domain: string;
  /** Tensor names; '' marks an optional input left out. */
  inputs: string[];
  outputs: string[];
  attributes: Record<string, ModelAttribute>;
}

/** A model as the reader describes it, its nodes in topological order. */
export interface ModelDescription {
  producer: string;
  /** The version of ONNX's default operator set the model imports. */
  opset: number;
  inputs: ModelValue[];
  outputs: ModelValue[];
  initializers: Map<string, ModelTensor>;
  nodes: ModelNode[];
  /** Shapes the file's value_info states for intermediate tensors, where every dim is known. */
  declaredShapes: Map<string, number[]>;
  /** The op types found, sorted: the runner's table decides later which it can run. */
  ops: string[];
  /** Sentences for a person about what the reader assumed (symbolic dims fixed to 1, nodes it named). */
  notes: string[];
}

/** The ArrayBuffers of every tensor in `model`, for a postMessage transfer list. */
export function modelTransfers(model: ModelDescription): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const t of model.initializers.values()) buffers.add(t.data.buffer as ArrayBuffer);
  for (const n of model.nodes) {
    for (const a of Object.values(n.attributes)) if (a.type === 'tensor') buffers.add(a.value.data.buffer as ArrayBuffer);
  }
  return [...buffers];
}
