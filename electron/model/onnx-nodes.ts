/**
 * The layer table's export direction: for each layer kind, the ONNX node(s) that compute it, so the writer loops over
 * a network's layers and looks each one's nodes up here instead of switching on kinds. A kind missing here is refused
 * by name. Containers emit their lists through the builder and join them (Add + Relu, Concat).
 */
import { ConvLabError } from '../../core/errors';
import type { AnySpec } from '../../core/layers/kind';
import type { AvgPoolSpec } from '../../core/layers/avgpool';
import type { BatchNormSpec } from '../../core/layers/batchnorm';
import type { ConcatSpec } from '../../core/layers/concat';
import type { Conv2dSpec } from '../../core/layers/conv2d';
import type { MaxPoolSpec } from '../../core/layers/maxpool';
import type { ResidualSpec } from '../../core/layers/residual';
import type { Pair } from '../../core/geometry';
import { flipKernel } from './flip-kernel';

/** One attribute's value: a whole number, a float, or a list of whole numbers. */
export type OnnxAttribute = { int: number } | { float: number } | { ints: number[] };

/** What a row may ask of the writer while it emits a layer. */
export interface GraphBuilder {
  /** Adds a node named after `path` (with `suffix` when a layer makes several) and returns its output's name. */
  node(op: string, inputs: string[], path: string, attributes?: Record<string, OnnxAttribute>, suffix?: string): string;
  /** Adds the layer's parameter `role` as an initializer ("3.weight") and returns its name; `transform` rewrites its values. */
  param(path: string, role: string, transform?: (data: Float32Array, shape: readonly number[]) => Float32Array): string;
  /** Emits a nested list of layers on `x` and returns the name of its output (x itself for an empty list). */
  layers(list: readonly AnySpec[], prefix: string, x: string): string;
  /** The rank of value `name` (2 for (N, F), 4 for NCHW). */
  rank(name: string): number;
}

/** Emits a layer's nodes on input `x`, returning the layer's output. */
export type NodeEmitter = (b: GraphBuilder, spec: AnySpec, x: string, path: string) => string;

const pads = (p: Pair): number[] => [p[0], p[1], p[0], p[1]];

function conv(b: GraphBuilder, s: Conv2dSpec, x: string, path: string): string {
  const weight = b.param(path, 'weight', s.flip ? flipKernel : undefined);
  return b.node('Conv', [x, weight, b.param(path, 'bias')], path, {
    kernel_shape: { ints: [...s.kernel] }, strides: { ints: [...s.stride] }, pads: { ints: pads(s.padding) }, dilations: { ints: [...(s.dilation ?? [1, 1])] },
  });
}

const window = (s: MaxPoolSpec | AvgPoolSpec): Record<string, OnnxAttribute> =>
  ({ kernel_shape: { ints: [...s.kernel] }, strides: { ints: [...s.stride] }, pads: { ints: pads(s.padding) } });

const flatten = (b: GraphBuilder, x: string, path: string, suffix?: string): string => b.node('Flatten', [x], path, { axis: { int: 1 } }, suffix);

const EMITTERS: Readonly<Record<string, NodeEmitter>> = {
  conv2d: (b, s, x, path) => conv(b, s as Conv2dSpec, x, path),
  // Gluon's Dense flattens an NCHW input first; Gemm needs (N, F).
  dense: (b, _s, x, path) => b.node('Gemm', [b.rank(x) > 2 ? flatten(b, x, path, 'flatten') : x, b.param(path, 'weight'), b.param(path, 'bias')], path, { transB: { int: 1 } }),
  maxpool: (b, s, x, path) => b.node('MaxPool', [x], path, window(s as MaxPoolSpec)),
  avgpool: (b, s, x, path) => b.node('AveragePool', [x], path, { ...window(s as AvgPoolSpec), count_include_pad: { int: (s as AvgPoolSpec).countIncludePad ? 1 : 0 } }),
  relu: (b, _s, x, path) => b.node('Relu', [x], path),
  sigmoid: (b, _s, x, path) => b.node('Sigmoid', [x], path),
  tanh: (b, _s, x, path) => b.node('Tanh', [x], path),
  // Prediction runs dropout as the identity; the exported graph is for prediction.
  dropout: (b, _s, x, path) => b.node('Identity', [x], path),
  flatten: (b, _s, x, path) => flatten(b, x, path),
  global_avg_pool: (b, _s, x, path) => b.node('GlobalAveragePool', [x], path),
  batchnorm: (b, s, x, path) => b.node('BatchNormalization', [x, ...['gamma', 'beta', 'moving_mean', 'moving_var'].map((r) => b.param(path, r))], path,
    { epsilon: { float: (s as BatchNormSpec).eps } }),
  residual(b, s, x, path) {
    const r = s as ResidualSpec;
    const sum = b.node('Add', [b.layers(r.body, `${path}.body`, x), b.layers(r.shortcut, `${path}.shortcut`, x)], path, undefined, 'add');
    return b.node('Relu', [sum], path, undefined, 'relu');
  },
  concat: (b, s, x, path) => b.node('Concat', (s as ConcatSpec).branches.map((list, j) => b.layers(list, `${path}.branches.${j}`, x)), path, { axis: { int: 1 } }),
};

/** The emitter of `spec`'s kind; a kind without ONNX nodes is refused by name. */
export function onnxNodesOf(spec: AnySpec, path: string): NodeEmitter {
  const emit = EMITTERS[spec.type];
  if (emit === undefined) {
    throw new ConvLabError('format', `layer ${path} (${spec.type}) has no ONNX form; ConvLab exports: ${Object.keys(EMITTERS).join(', ')}`);
  }
  return emit;
}
