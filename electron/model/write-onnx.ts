/**
 * The ONNX writer: any network ConvLab holds (a lab stack, a book network at any size, a trained network with its
 * weights) as an ONNX model's bytes, opset 13, encoded with the same protobufjs schema the reader decodes. Each
 * layer's nodes come from the export table (onnx-nodes.ts); parameters become initializers named by their path
 * ("3.body.0.weight"), nodes and values by their layer's path. The batch axis is symbolic ('N').
 */
import { ConvLabError } from '../../core/errors';
import type { AnySpec } from '../../core/layers/kind';
import { inferSpec } from '../../core/nets/infer';
import type { NetSpec, Params } from '../../core/nets/model';
import { checkParams, layerPath } from '../../core/nets/params';
import { type GraphBuilder, type OnnxAttribute, onnxNodesOf } from './onnx-nodes';
import { ATTRIBUTE_TYPES, ModelProto } from './onnx-schema';

/** The operator set the writer targets: the one Debian's PyTorch exports by default, read by every runtime in use. */
export const EXPORT_OPSET = 13;
const IR_VERSION = 7;
const FLOAT = 1;

/** What to export: a network's spec, its parameters by path, and the NCHW input it reads (the batch size is free). */
export interface OnnxExport {
  /** The graph's name: "LeNet", "lab". */
  name: string;
  spec: NetSpec;
  params: Params;
  input: readonly number[];
}

/** The names the exported graph gives its input and output. */
export const ONNX_IO = { input: 'input', output: 'output' } as const;

function attribute(name: string, v: OnnxAttribute): Record<string, unknown> {
  if ('int' in v) return { name, type: ATTRIBUTE_TYPES.INT, i: v.int };
  if ('float' in v) return { name, type: ATTRIBUTE_TYPES.FLOAT, f: v.float };
  return { name, type: ATTRIBUTE_TYPES.INTS, ints: v.ints };
}

const valueInfo = (name: string, shape: readonly number[]): Record<string, unknown> => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d, k) => (k === 0 ? { dimParam: 'N' } : { dimValue: d })) } } },
});

/** Float32 values as little-endian bytes, as TensorProto's raw_data holds them. */
function rawBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

/** The graph's nodes and initializers as plain protobuf objects, built layer by layer. */
function buildGraph(x: OnnxExport): { node: unknown[]; initializer: unknown[]; output: string } {
  const node: unknown[] = [], initializer: unknown[] = [];
  const ranks = new Map<string, number>([[ONNX_IO.input, 4]]);
  const builder: GraphBuilder = {
    node(op, inputs, path, attributes = {}, suffix) {
      const name = suffix === undefined ? path : `${path}.${suffix}`;
      if (ranks.has(name)) throw new ConvLabError('format', `two nodes of the network are both named '${name}'`);
      ranks.set(name, op === 'Flatten' || op === 'Gemm' ? 2 : builder.rank(inputs[0]));
      node.push({ name, opType: op, input: inputs, output: [name], attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
      return name;
    },
    param(path, role, transform) {
      const name = `${path}.${role}`;
      const t = x.params.get(name);
      if (t === undefined) throw new ConvLabError('format', `parameter ${name} is missing`);
      initializer.push({ name, dims: [...t.shape], dataType: FLOAT, rawData: rawBytes(transform ? transform(t.data, t.shape) : t.data) });
      return name;
    },
    layers(list: readonly AnySpec[], prefix: string, input: string) {
      return list.reduce((v, spec, i) => {
        const path = layerPath(prefix, i);
        return onnxNodesOf(spec, path)(builder, spec, v, path);
      }, input);
    },
    rank: (name) => ranks.get(name) ?? 4,
  };
  return { node, initializer, output: builder.layers(x.spec, '', ONNX_IO.input) };
}

/**
 * The network as an ONNX model's bytes. Its shapes are checked first (errors name the layer and the rule) and its
 * parameters against them (a missing or misshapen one is refused by name); a kind without ONNX nodes is refused.
 */
export function writeOnnx(x: OnnxExport): Uint8Array {
  const output = inferSpec(x.spec, x.input).output;
  checkParams(x.spec, x.params);
  const graph = buildGraph(x);
  // The last layer's value is renamed to the graph's output: an Identity keeps the layer's own name in the graph.
  graph.node.push({ name: ONNX_IO.output, opType: 'Identity', input: [graph.output], output: [ONNX_IO.output], attribute: [] });
  const model = {
    irVersion: IR_VERSION,
    producerName: 'ConvLab',
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    graph: {
      name: x.name,
      node: graph.node,
      initializer: graph.initializer,
      input: [valueInfo(ONNX_IO.input, x.input)],
      output: [valueInfo(ONNX_IO.output, output)],
    },
  };
  const err = ModelProto.verify(model);
  if (err !== null) throw new ConvLabError('format', `the exported model does not fit ONNX's schema: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
