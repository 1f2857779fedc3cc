/** One ONNX NodeProto into a ModelNode: its operator-set domain checked, its attributes typed. */
import { ConvLabError } from '../../core/errors';
import type { ModelAttribute, ModelNode } from './model-description';
import { SUPPORTED_DOMAINS } from './model-limits';
import { ATTRIBUTE_TYPES as A } from './onnx-schema';
import { type Int64, int64Number } from './int64';
import { printableName } from './printable-name';
import { type TensorBudget, type TensorProtoMessage, tensorFromProto } from './tensor-proto';

/** A decoded AttributeProto, as protobufjs gives it. */
export interface AttributeProtoMessage {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProtoMessage;
  g?: object;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  refAttrName?: string;
}

/** A decoded NodeProto, as protobufjs gives it. */
export interface NodeProtoMessage {
  name?: string;
  opType?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProtoMessage[];
}

const text = new TextDecoder();

/** The ModelNode for `proto`, named `fallbackName` when the file gives it no name. */
export function nodeFromProto(proto: NodeProtoMessage, fallbackName: string, budget: TensorBudget): ModelNode {
  const name = printableName(proto.name || fallbackName);
  const op = printableName(proto.opType ?? '');
  if (op === '') throw new ConvLabError('format', `node '${name}' has no op_type`);
  const domain = printableName(proto.domain ?? '');
  if (!SUPPORTED_DOMAINS.includes(domain)) {
    throw new ConvLabError('format', `node '${name}' (op ${op}) is from the operator set domain '${domain}'; ConvLab reads only ONNX's default domain`);
  }
  const attributes: Record<string, ModelAttribute> = {};
  for (const a of proto.attribute ?? []) {
    const key = printableName(a.name ?? '');
    if (a.refAttrName) throw new ConvLabError('format', `node '${name}' (op ${op}) has attribute '${key}' referring to a function's attribute; ConvLab reads no ONNX functions`);
    attributes[key] = attributeValue(a, printableName(a.t?.name || `${name}.${key}`), budget);
  }
  return { name, op, domain, inputs: (proto.input ?? []).map(printableName), outputs: (proto.output ?? []).map(printableName), attributes };
}

// Old files leave `type` unset (0): the field that holds a value says which it is.
function attributeType(a: AttributeProtoMessage): number {
  if (a.type) return a.type;
  if (a.floats?.length) return A.FLOATS;
  if (a.ints?.length) return A.INTS;
  if (a.strings?.length) return A.STRINGS;
  if (a.t) return A.TENSOR;
  if (a.g) return A.GRAPH;
  if (a.s?.length) return A.STRING;
  if (a.i !== undefined && int64Number(a.i) !== 0) return A.INT;
  return A.FLOAT;
}

function attributeValue(a: AttributeProtoMessage, tensorName: string, budget: TensorBudget): ModelAttribute {
  const type = attributeType(a);
  switch (type) {
    case A.FLOAT: return { type: 'float', value: a.f ?? 0 };
    case A.INT: return { type: 'int', value: int64Number(a.i ?? 0) };
    case A.STRING: return { type: 'string', value: text.decode(a.s ?? new Uint8Array()) };
    case A.TENSOR: return { type: 'tensor', value: tensorFromProto(a.t ?? {}, tensorName, budget) };
    case A.FLOATS: return { type: 'floats', value: [...(a.floats ?? [])] };
    case A.INTS: return { type: 'ints', value: (a.ints ?? []).map(int64Number) };
    case A.STRINGS: return { type: 'strings', value: (a.strings ?? []).map((s) => text.decode(s)) };
    case A.GRAPH: return { type: 'graph' };
    default: return { type: 'other', onnxType: type };
  }
}
