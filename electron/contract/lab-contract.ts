/**
 * The lab's calls (part of the contract, contract.ts): a stack of the layer table's conv2d, pooling and activation layers run on one
 * image, forward (whole or in windows after a brush dab), a unit's probe, the kernel training of section 5.1 and its
 * loss surface; their request schemas, responses and training events.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import { ACTIVATION_NAMES } from '../../core/layers';
import type { WindowsAnswer } from '../../core/lab/incremental-stack';
import type { RunEndState } from './run-end';
import { whole } from './whole';

const pairOf = (min: number, max: number, what: string) =>
  v.tuple([whole(min, max, `${what} (height)`), whole(min, max, `${what} (width)`)]);

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
/** Float32 storage, refused when it holds NaN or Infinity (the message names the index). */
const floats = (what: string) =>
  v.pipe(
    v.custom<Float32Array>((value) => value instanceof Float32Array, `${what} must be a Float32Array`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const at = firstNonFinite(dataset.value);
      if (at >= 0) addIssue({ message: `${what} contains ${dataset.value[at]} at index ${at}` });
    }),
  );

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A tensor: its shape checked by `shape`, its data finite and exactly as long as the shape says. */
function tensorSchema<S extends v.GenericSchema<unknown, readonly number[]>>(shape: S, what: string) {
  return v.pipe(
    v.object({ shape, data: floats(what) }),
    v.check((t) => (t.data as Float32Array).length === product(t.shape as readonly number[]), `${what}: data length does not match its shape`),
  );
}

/** One image or feature map, NCHW with N = 1, of at most LIMITS.maxInputValues values. */
export const MapSchema = v.pipe(
  tensorSchema(
    v.tuple([
      v.literal(1, 'batch must be 1'),
      whole(1, LIMITS.maxChannels, 'channels'),
      whole(1, LIMITS.maxImageSide, 'height'),
      whole(1, LIMITS.maxImageSide, 'width'),
    ]),
    'image',
  ),
  v.check(
    (map) => product(map.shape) <= LIMITS.maxInputValues,
    (issue) => `image: ${(issue.input as { shape: number[] }).shape.slice(1).join('×')} is ${product((issue.input as { shape: number[] }).shape)} values; an input holds at most ${LIMITS.maxInputValues} (e.g. 16×512×512)`,
  ),
);

// One schema per kind the lab's stack runs, each named by the layer table's kind (core/layers): `type` is the row.
const ConvLayerSchema = v.pipe(
  v.object({
    type: v.literal('conv2d'),
    inChannels: whole(1, LIMITS.maxChannels, 'input channels'),
    outChannels: whole(1, LIMITS.maxChannels, 'output channels'),
    kernel: pairOf(1, LIMITS.maxKernelSide, 'kernel'),
    weight: tensorSchema(
      v.tuple([
        whole(1, LIMITS.maxChannels, 'output channels'),
        whole(1, LIMITS.maxChannels, 'input channels'),
        whole(1, LIMITS.maxKernelSide, 'kernel height'),
        whole(1, LIMITS.maxKernelSide, 'kernel width'),
      ]),
      'kernel',
    ),
    bias: floats('bias'),
    stride: pairOf(1, LIMITS.maxStride, 'stride'),
    padding: pairOf(0, LIMITS.maxPadding, 'padding'),
    dilation: pairOf(1, LIMITS.maxDilation, 'dilation'),
    flip: v.boolean(),
  }),
  v.check((l) => [l.outChannels, l.inChannels, ...l.kernel].every((d, i) => d === l.weight.shape[i]), 'kernel: its shape must be output × input channels × the kernel'),
  v.check((l) => l.bias.length === l.weight.shape[0], 'bias needs one value per output channel'),
);
const poolWindow = {
  kernel: pairOf(1, LIMITS.maxKernelSide, 'pooling window'),
  stride: pairOf(1, LIMITS.maxStride, 'stride'),
  padding: pairOf(0, LIMITS.maxPadding, 'padding'),
};
const MaxPoolLayerSchema = v.object({ type: v.literal('maxpool'), ...poolWindow });
const AvgPoolLayerSchema = v.object({ type: v.literal('avgpool'), ...poolWindow, countIncludePad: v.boolean() });
const ActivationLayerSchema = v.object({ type: v.picklist(ACTIVATION_NAMES) });
export const LayerSchema = v.variant('type', [ConvLayerSchema, MaxPoolLayerSchema, AvgPoolLayerSchema, ActivationLayerSchema], 'unknown layer type');
export const StackSchema = v.pipe(
  v.array(LayerSchema),
  v.maxLength(LIMITS.maxLayers, `a stack holds at most ${LIMITS.maxLayers} layers`),
);

export const ForwardRequest = v.object({ input: MapSchema, layers: StackSchema });
/**
 * The part of an input that changed since the input of state `since` (core/lab/map-windows.ts): a brush step sends
 * this instead of the whole image. It must lie inside the input's shape and hold exactly its channels × rows × columns.
 */
const InputWindowSchema = v.pipe(
  v.object({
    shape: v.tuple([
      v.literal(1, 'batch must be 1'),
      whole(1, LIMITS.maxChannels, 'channels'),
      whole(1, LIMITS.maxImageSide, 'height'),
      whole(1, LIMITS.maxImageSide, 'width'),
    ]),
    y: whole(0, LIMITS.maxImageSide - 1, 'input window row'),
    x: whole(0, LIMITS.maxImageSide - 1, 'input window column'),
    height: whole(1, LIMITS.maxImageSide, 'input window height'),
    width: whole(1, LIMITS.maxImageSide, 'input window width'),
    data: floats('input window'),
  }),
  v.check((w) => w.y + w.height <= w.shape[2] && w.x + w.width <= w.shape[3], 'input window: it reaches outside the input'),
  v.check((w) => w.data.length === w.shape[1] * w.height * w.width, 'input window: data length does not match its channels × height × width'),
);
/**
 * A forward pass for a page that keeps its last maps: `since` names them (the last answer's state; null: none). The
 * input comes whole (`input`) or, when `since` is given, as the window of it that changed (`inputWindow`).
 */
export const ForwardWindowsRequest = v.pipe(
  v.object({
    input: v.optional(MapSchema),
    inputWindow: v.optional(InputWindowSchema),
    layers: StackSchema,
    since: v.nullable(v.pipe(v.string('since must be the state of the last answer, or null'), v.maxLength(64, 'since must be at most 64 characters'))),
  }),
  v.check((r) => (r.input === undefined) !== (r.inputWindow === undefined), 'send either the whole input or the window of it that changed, not both or neither'),
  v.check((r) => r.inputWindow === undefined || r.since !== null, 'an input window needs since: the state whose input it patches'),
);
export const ProbeRequest = v.object({
  input: MapSchema,
  layers: v.pipe(StackSchema, v.minLength(1, 'probing needs at least one layer')),
  layer: whole(0, LIMITS.maxLayers - 1, 'layer'),
  unit: v.object({
    c: whole(0, LIMITS.maxChannels - 1, 'channel'),
    y: whole(0, LIMITS.maxImageSide - 1, 'row'),
    x: whole(0, LIMITS.maxImageSide - 1, 'column'),
  }),
});

const finiteNumber = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`));

/** Refuses a kernel larger than the input, naming both sizes (the engine would too, but later and less kindly). */
const kernelFitsInput = <T extends { x: MapData; kernel: Pair }>() =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const [kh, kw] = dataset.value.kernel;
    const [, , h, w] = dataset.value.x.shape;
    if (kh > h || kw > w) addIssue({ message: `kernel ${kh}×${kw} is larger than the input ${h}×${w}` });
  });

export const TrainStartRequest = v.pipe(
  v.object({
    x: MapSchema,
    y: MapSchema,
    kernel: pairOf(1, LIMITS.maxKernelSide, 'kernel'),
    initWeight: v.optional(floats('starting weights')),
    seed: v.optional(whole(0, 2 ** 31 - 1, 'seed')),
    learnBias: v.boolean(),
    lr: v.pipe(
      v.number('learning rate must be a number'),
      v.finite('learning rate must be finite'),
      v.gtValue(0, 'learning rate must be positive'),
    ),
    iterations: whole(1, LIMITS.maxTrainingSteps, 'iterations'),
    flip: v.boolean(),
    /** Milliseconds between iterations, so a short run can be watched; 0 runs flat out. */
    pace: whole(0, 2000, 'pace'),
  }),
  v.check(
    (s) => s.initWeight === undefined || s.initWeight.length === s.kernel[0] * s.kernel[1],
    'starting weights need one value per kernel cell',
  ),
  kernelFitsInput(),
);
export const LossSurfaceRequest = v.pipe(
  v.object({
    x: MapSchema,
    y: MapSchema,
    kernel: pairOf(1, 2, 'kernel'),
    flip: v.boolean(),
    bias: finiteNumber('bias'),
    /** Points the window must show (the start, the path so far); the minimum is always shown. */
    include: v.pipe(v.array(v.tuple([finiteNumber('point k1'), finiteNumber('point k2')])), v.maxLength(64, 'at most 64 points to include')),
    size: whole(8, 128, 'surface size'),
  }),
  v.check((s) => s.kernel[0] * s.kernel[1] === 2, 'the loss surface needs a kernel with exactly two weights'),
  kernelFitsInput(),
);

export const TrainControlRequest = v.object({
  runId: whole(1, Number.MAX_SAFE_INTEGER, 'run id'),
  command: v.picklist(['pause', 'resume', 'step', 'stop'], 'command must be pause, resume, step or stop'),
});

export type MapData = v.InferOutput<typeof MapSchema>;
export type LayerSpec = v.InferOutput<typeof LayerSchema>;
export type Box = { top: number; left: number; bottom: number; right: number };
export type Pair = [number, number];

export interface ForwardResponse {
  outputs: MapData[];
}
/** The maps as the windows that changed since `since` (core/lab/map-windows.ts), or whole. */
export type ForwardWindowsResponse = Omit<WindowsAnswer, 'outputs'> & { outputs: MapData[] | null };
export interface ProbeResponse {
  perLayer: { layer: number; size: Pair; jump: Pair; start: Pair; center: Pair; effectivePadding: Pair }[];
  boxes: Box[];
  analyticBox: Box;
  gradient: MapData;
}
export interface TrainStartResponse {
  runId: number;
}
export interface LossSurfaceResponse {
  size: number;
  /** The window: [min, max] of k1 (left to right) and of k2 (bottom to top). */
  k1: [number, number];
  k2: [number, number];
  /** values[j·size + i]: the loss at column i (k1 rising rightwards), row j (k2 falling downwards), cell centres. */
  values: Float32Array;
  /** Where the loss is smallest, or null when a direction is flat. */
  minimum: [number, number] | null;
}
export interface TrainControlResponse {
  state: 'running' | 'paused' | 'stopped';
}

export interface TrainingEvent {
  runId: number;
  kind: 'step' | 'paused' | RunEndState;
  iteration: number;
  iterations: number;
  loss?: number;
  weight?: Float32Array;
  bias?: number;
  grad?: Float32Array;
  biasGrad?: number;
  message?: string;
}
