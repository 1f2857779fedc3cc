/**
 * The model calls (issue 21): an ONNX model opened in the main process (from the File › Open dialog or a dropped
 * file's bytes), its listing per node, a forward pass of one input answering the top classes with every node's maps
 * left in the engine to fetch one node at a time, and the probe of one unit. Kept beside contract.ts so that file
 * stays one table. A model is named by the id its opening answered; the path stays in main.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import { whole } from './whole';

/**
 * Largest model whose bytes the page may send (a dropped file): the browser host carries them in one message.
 * The File › Open dialog reads larger files in main, up to the reader's own limit (ResNet-50 is ~100 MB).
 */
export const MAX_MODEL_REQUEST_BYTES = 256 * 1024 * 1024;
/** Most classes a forward answers in its top list. */
export const MAX_TOP_K = 100;
/** Longest node name the page may send back (names come from the model; the reader escapes control characters). */
const MAX_NAME = 1024;

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const modelId = whole(1, Number.MAX_SAFE_INTEGER, 'model id');
const nodeName = v.pipe(v.string('node must be a node name'), v.minLength(1, 'node cannot be empty'), v.maxLength(MAX_NAME, `node names hold at most ${MAX_NAME} characters`));

function finiteAt(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** The input tensor as the model takes it (any rank up to 8, batch included), finite, at most LIMITS.maxTensorSize values. */
export const ModelInputSchema = v.pipe(
  v.object({
    shape: v.pipe(v.array(whole(1, 1 << 20, 'input dimension'), 'shape must be a list of sizes'), v.minLength(1, 'shape needs at least one axis'), v.maxLength(8, 'shape has at most 8 axes')),
    data: v.custom<Float32Array>((value) => value instanceof Float32Array, 'input data must be a Float32Array'),
  }),
  v.check((t) => t.shape.reduce((a, b) => a * b, 1) === t.data.length, 'input: data length does not match its shape'),
  v.check((t) => t.data.length <= LIMITS.maxTensorSize, `input: an input holds at most ${LIMITS.maxTensorSize} values`),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const at = finiteAt(dataset.value.data);
    if (at >= 0) addIssue({ message: `input contains ${dataset.value.data[at]} at index ${at}` });
  }),
);

/** A dropped file's bytes: checked against the size limit before anything reads them. */
export const ModelOpenBytesRequest = v.object({
  name: v.pipe(v.string('name must be text'), v.minLength(1, 'name cannot be empty'), v.maxLength(255, 'a file name holds at most 255 characters')),
  bytes: v.pipe(
    v.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes must be a Uint8Array'),
    v.check((b) => b.byteLength > 0, 'the model file is empty'),
    v.check((b) => b.byteLength <= MAX_MODEL_REQUEST_BYTES,
      (issue) => `this file is ${megabytes((issue.input as Uint8Array).byteLength)}; a dropped model holds at most ${megabytes(MAX_MODEL_REQUEST_BYTES)} (open larger ones with File › Open model…)`),
  ),
});
export const ModelIdRequest = v.object({ modelId });
export const ModelForwardRequest = v.object({
  modelId,
  input: ModelInputSchema,
  /** How many classes of the first output to answer, best first. */
  topK: v.optional(whole(1, MAX_TOP_K, 'top k'), 5),
});
/** One node's maps from the model's last forward: its first output, `count` channels from `offset` (all when absent). */
export const ModelMapsRequest = v.object({
  modelId,
  node: nodeName,
  offset: v.optional(whole(0, LIMITS.maxNetworkChannels, 'channel offset'), 0),
  count: v.optional(whole(1, LIMITS.maxNetworkChannels, 'channel count')),
});
/** A unit of one node's first output (`unit` indexes it without the batch axis: [c, y, x] on a map, [f] on a vector). */
export const ModelProbeRequest = v.object({
  modelId,
  input: ModelInputSchema,
  node: nodeName,
  unit: v.pipe(v.array(whole(0, 1 << 20, 'unit index'), 'unit must be a list of indices'), v.minLength(1, 'unit needs [feature] or [channel, row, column]'), v.maxLength(3, 'unit needs [feature] or [channel, row, column]')),
});

/** A rectangle of a map, rows top…bottom and columns left…right, both ends included. */
export interface ModelBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}
/** How far a node's unit reaches into the input: one box for every path through branches and skips, and their union. */
export interface ModelField {
  /** The union's size, rows × columns, at the model's input. */
  size: [number, number];
  /** Input pixels between neighbouring units. */
  stride: [number, number];
  /** Present when some path also reads the whole input (a squeeze-excitation gate, a global pooling): size is then the other paths' union. */
  whole?: true;
}
/** One node of the listing. */
export interface ModelListingRow {
  name: string;
  op: string;
  /** The nodes whose outputs it reads (graph inputs and weights left out): the graph's edges. */
  from: string[];
  /** Its first output's shape, batch included. */
  shape: number[];
  parameters: number;
  multiplyAdds: number;
  /** Absent where the output is no NCHW map (a dense head, a flatten). */
  field?: ModelField;
}
export interface ModelValueInfo {
  name: string;
  shape: number[];
}
/** An opened model: the id to name it by, what it takes and gives, and its listing. */
export interface OpenedModel {
  modelId: number;
  /** The file's name, for the title. */
  name: string;
  opset: number;
  producer: string;
  inputs: ModelValueInfo[];
  outputs: ModelValueInfo[];
  rows: ModelListingRow[];
  parameters: number;
  multiplyAdds: number;
  /** What the reader assumed (symbolic dims fixed to 1…), for a person. */
  notes: string[];
}
export interface ModelTensorOut {
  name: string;
  shape: number[];
  data: Float32Array;
}
/** A forward pass: the model's outputs, the top classes of the first one, and every node's output shape (maps on demand). */
export interface ModelForwardResponse {
  outputs: ModelTensorOut[];
  top: { index: number; score: number }[];
  nodes: ModelValueInfo[];
}
/** A unit's probe: its window, the box it reads in each earlier node's output (and the input), the gradient heat. */
export interface ModelProbeResponse {
  node: string;
  unit: number[];
  /** The union box in the input, and one box per path from the input to the unit. */
  input: { union: ModelBox; paths: ModelBox[] };
  /** Per earlier node with a spatial output: the union of what the unit reads in it. */
  boxes: { node: string; box: ModelBox }[];
  /** d unit / d input, the input's shape. */
  gradient: { shape: number[]; data: Float32Array };
}
