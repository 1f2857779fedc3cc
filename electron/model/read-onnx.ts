/**
 * The ONNX reader: a model file's bytes (size checked first) decoded with ONNX's schema and checked into a
 * ModelDescription, its nodes in topological order. Every refusal is one ConvLabError sentence naming the problem.
 */
import { stat, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConvLabError } from '../../core/errors';
import { externalReaderIn } from './external-data';
import { topologicalOrder } from './graph-order';
import { type Int64, int64Number } from './int64';
import type { ModelDescription, ModelNode, ModelTensor } from './model-description';
import { MODEL_LIMITS, SUPPORTED_DOMAINS, SUPPORTED_OPSETS } from './model-limits';
import { type NodeProtoMessage, nodeFromProto } from './node-proto';
import { ModelProto } from './onnx-schema';
import { printableName } from './printable-name';
import { type TensorBudget, type TensorProtoMessage, formatBytes, tensorFromProto } from './tensor-proto';
import { type ValueInfoMessage, graphInput, graphValue } from './value-info';

interface ModelMessage {
  irVersion?: Int64;
  producerName?: string;
  producerVersion?: string;
  opsetImport?: { domain?: string; version?: Int64 }[];
  graph?: { node?: NodeProtoMessage[]; initializer?: TensorProtoMessage[]; input?: ValueInfoMessage[]; output?: ValueInfoMessage[]; valueInfo?: ValueInfoMessage[] };
}

/** Options of parseModel: `folder` is where the model file sits, needed only by tensors kept in external files. */
export interface ParseOptions {
  folder?: string;
}

function checkSize(bytes: number, what: string): void {
  if (bytes > MODEL_LIMITS.modelBytes) throw new ConvLabError('limit', `${what} is ${formatBytes(bytes)}; the limit for a model is ${formatBytes(MODEL_LIMITS.modelBytes)}`);
}

/** Reads and parses the model file at `path`, its size checked before a byte is read. */
export async function openModel(path: string): Promise<ModelDescription> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ConvLabError('format', `'${path}' is not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof ConvLabError) throw e;
    throw new ConvLabError('format', `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  checkSize(size, `'${path}'`);
  return parseModel(await readFile(path), { folder: dirname(path) });
}

function decode(bytes: Uint8Array): ModelMessage {
  checkSize(bytes.length, 'the model');
  let message: ModelMessage;
  try {
    message = ModelProto.decode(bytes) as unknown as ModelMessage;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (e instanceof RangeError || /index out of range/.test(why)) {
      throw new ConvLabError('format', `the model is truncated: its protobuf ends in the middle of a message (${why})`);
    }
    throw new ConvLabError('format', `this is not an ONNX model: it does not decode as an ONNX ModelProto (${why})`);
  }
  if (!message.graph) throw new ConvLabError('format', 'this is not an ONNX model: it has no graph');
  if (!message.irVersion || int64Number(message.irVersion) < 1) throw new ConvLabError('format', 'this is not an ONNX model: it states no ir_version');
  return message;
}

function defaultOpset(message: ModelMessage): number {
  let opset: number | undefined;
  for (const o of message.opsetImport ?? []) {
    const domain = printableName(o.domain ?? '');
    const version = int64Number(o.version ?? 0);
    if (!SUPPORTED_DOMAINS.includes(domain)) {
      throw new ConvLabError('format', `the model imports operator set domain '${domain}' (version ${version}); ConvLab reads only ONNX's default domain ('' or 'ai.onnx')`);
    }
    opset = version;
  }
  if (opset === undefined) throw new ConvLabError('format', "this is not an ONNX model: it imports no operator set (no opset_import)");
  if (opset < SUPPORTED_OPSETS.min || opset > SUPPORTED_OPSETS.max) {
    throw new ConvLabError('range', `the model uses ONNX opset ${opset}; ConvLab reads opsets ${SUPPORTED_OPSETS.min} to ${SUPPORTED_OPSETS.max}`);
  }
  return opset;
}

/** Decodes and checks an ONNX model's bytes into a ModelDescription. */
export function parseModel(bytes: Uint8Array, options: ParseOptions = {}): ModelDescription {
  const message = decode(bytes);
  const opset = defaultOpset(message);
  const graph = message.graph ?? {};
  const protoNodes = graph.node ?? [];
  if (protoNodes.length > MODEL_LIMITS.nodes) throw new ConvLabError('limit', `the graph has ${protoNodes.length} nodes; the limit is ${MODEL_LIMITS.nodes}`);
  const notes: string[] = [];
  const budget: TensorBudget = { bytes: 0 };
  const external = options.folder === undefined ? undefined : externalReaderIn(options.folder);

  const initializers = new Map<string, ModelTensor>();
  for (const [i, t] of (graph.initializer ?? []).entries()) {
    const name = printableName(t.name ?? '');
    if (name === '') throw new ConvLabError('format', `initializer ${i + 1} has no name`);
    if (initializers.has(name)) throw new ConvLabError('format', `initializer '${name}' appears twice`);
    initializers.set(name, tensorFromProto(t, name, budget, external));
  }
  // Files from IR version 3 list initializers among the inputs too; those are weights, not inputs.
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(printableName(v.name ?? ''))).map(graphInput);
  const fixed = new Set<string>();
  for (const input of inputs) {
    for (const r of input.resolved) {
      fixed.add(r.param);
      notes.push(`input '${input.name}': dim ${r.axis + 1} is symbolic ('${r.param}') and was fixed to 1`);
    }
  }
  const outputs = (graph.output ?? []).map((v) => graphValue(v, fixed));
  const declaredShapes = new Map<string, number[]>();
  for (const v of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const shape = graphValue(v, fixed).shape;
    if (shape) declaredShapes.set(printableName(v.name ?? ''), shape);
  }

  let unnamed = 0;
  const nodes: ModelNode[] = protoNodes.map((n, i) => {
    if (!n.name) unnamed++;
    return nodeFromProto(n, `${n.opType ?? 'node'}_${i}`, budget);
  });
  if (unnamed > 0) notes.push(`${unnamed} node${unnamed === 1 ? '' : 's'} had no name and ${unnamed === 1 ? 'was' : 'were'} named op_index`);
  const given = new Set([...initializers.keys(), ...inputs.map((v) => v.name)]);
  const ordered = topologicalOrder(nodes, given);
  const made = new Set(ordered.flatMap((n) => n.outputs));
  for (const o of outputs) {
    if (!made.has(o.name) && !given.has(o.name)) throw new ConvLabError('format', `graph output '${o.name}' is made by no node`);
  }
  const producer = printableName([message.producerName, message.producerVersion].filter(Boolean).join(' '));
  const ops = [...new Set(ordered.map((n) => n.op))].sort();
  return { producer, opset, inputs, outputs, initializers, nodes: ordered, declaredShapes, ops, notes };
}
