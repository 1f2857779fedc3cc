/**
 * The ONNX messages ConvLab reads, as a protobufjs JSON descriptor with onnx.proto's own names and field numbers
 * (onnx/onnx.proto3, IR version 8). Only what a model file needs is declared; protobufjs skips the rest
 * (training info, functions, sparse tensors, quantization annotations), so a richer file still decodes.
 * A descriptor in TypeScript rather than a .proto file beside it: the bundled main process has no folder to load it from.
 */
import protobuf from 'protobufjs/light.js';

const onnx = {
  OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
  StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
  ModelProto: {
    fields: {
      irVersion: { type: 'int64', id: 1 },
      producerName: { type: 'string', id: 2 },
      producerVersion: { type: 'string', id: 3 },
      domain: { type: 'string', id: 4 },
      modelVersion: { type: 'int64', id: 5 },
      docString: { type: 'string', id: 6 },
      graph: { type: 'GraphProto', id: 7 },
      opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
      metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
    },
  },
  GraphProto: {
    fields: {
      node: { rule: 'repeated', type: 'NodeProto', id: 1 },
      name: { type: 'string', id: 2 },
      initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
      docString: { type: 'string', id: 10 },
      input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
      output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
      valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
    },
  },
  NodeProto: {
    fields: {
      input: { rule: 'repeated', type: 'string', id: 1 },
      output: { rule: 'repeated', type: 'string', id: 2 },
      name: { type: 'string', id: 3 },
      opType: { type: 'string', id: 4 },
      attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
      docString: { type: 'string', id: 6 },
      domain: { type: 'string', id: 7 },
    },
  },
  AttributeProto: {
    fields: {
      name: { type: 'string', id: 1 },
      f: { type: 'float', id: 2 },
      i: { type: 'int64', id: 3 },
      s: { type: 'bytes', id: 4 },
      t: { type: 'TensorProto', id: 5 },
      g: { type: 'GraphProto', id: 6 },
      floats: { rule: 'repeated', type: 'float', id: 7 },
      ints: { rule: 'repeated', type: 'int64', id: 8 },
      strings: { rule: 'repeated', type: 'bytes', id: 9 },
      tensors: { rule: 'repeated', type: 'TensorProto', id: 10 },
      graphs: { rule: 'repeated', type: 'GraphProto', id: 11 },
      docString: { type: 'string', id: 13 },
      tp: { type: 'TypeProto', id: 14 },
      type: { type: 'int32', id: 20 },
      refAttrName: { type: 'string', id: 21 },
    },
  },
  TensorProto: {
    fields: {
      dims: { rule: 'repeated', type: 'int64', id: 1 },
      dataType: { type: 'int32', id: 2 },
      floatData: { rule: 'repeated', type: 'float', id: 4 },
      int32Data: { rule: 'repeated', type: 'int32', id: 5 },
      stringData: { rule: 'repeated', type: 'bytes', id: 6 },
      int64Data: { rule: 'repeated', type: 'int64', id: 7 },
      name: { type: 'string', id: 8 },
      rawData: { type: 'bytes', id: 9 },
      doubleData: { rule: 'repeated', type: 'double', id: 10 },
      uint64Data: { rule: 'repeated', type: 'uint64', id: 11 },
      docString: { type: 'string', id: 12 },
      externalData: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
      dataLocation: { type: 'int32', id: 14 },
    },
  },
  ValueInfoProto: {
    fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 }, docString: { type: 'string', id: 3 } },
  },
  TypeProto: {
    oneofs: { value: { oneof: ['tensorType'] } },
    fields: { tensorType: { type: 'TypeProtoTensor', id: 1 }, denotation: { type: 'string', id: 6 } },
  },
  TypeProtoTensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
  TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'TensorShapeDimension', id: 1 } } },
  TensorShapeDimension: {
    oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
    fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 }, denotation: { type: 'string', id: 3 } },
  },
};

/** ModelProto, ready to decode a model file's bytes. */
export const ModelProto = protobuf.Root.fromJSON({ nested: { onnx: { nested: onnx } } }).lookupType('onnx.ModelProto');

/** ONNX's TensorProto.DataType numbers ConvLab reads, with their element sizes in bytes. */
export const DATA_TYPES: Readonly<Record<number, { name: string; bytes: number }>> = {
  1: { name: 'float32', bytes: 4 }, 2: { name: 'uint8', bytes: 1 }, 3: { name: 'int8', bytes: 1 },
  4: { name: 'uint16', bytes: 2 }, 5: { name: 'int16', bytes: 2 }, 6: { name: 'int32', bytes: 4 },
  7: { name: 'int64', bytes: 8 }, 9: { name: 'bool', bytes: 1 }, 10: { name: 'float16', bytes: 2 },
  11: { name: 'float64', bytes: 8 },
};

/** AttributeProto.AttributeType numbers. */
export const ATTRIBUTE_TYPES = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 } as const;

/** TensorProto.DataLocation: EXTERNAL means the bytes live in a file beside the model. */
export const DATA_LOCATION_EXTERNAL = 1;
