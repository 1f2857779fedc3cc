/**
 * Version 1 of the lab file: what `lab` holds inside `{ "type": "convlab", "version": 1, "lab": … }`. Every size is
 * checked against core/limits.ts, every array against the shape it claims, and every message names the rule broken.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import { whole } from './whole';

export const received = (issue: { received: string }) => issue.received;

const finite = (what: string) =>
  v.pipe(
    v.number((issue) => `${what} must be a number, not ${received(issue)}`),
    v.finite(`${what} must be a finite number`),
  );
export const int = (min: number, max: number, what: string) => whole(min, max, what, (issue) => `${what} must be a number, not ${received(issue)}`);
export const pair = (min: number, max: number, what: string) =>
  v.tuple([int(min, max, `${what} (rows)`), int(min, max, `${what} (columns)`)], `${what} must be a pair [rows, columns]`);
export const bool = (what: string) => v.boolean((issue) => `${what} must be true or false, not ${received(issue)}`);
export const values = (what: string, max: number) =>
  v.pipe(
    v.array(finite(what), (issue) => `${what} must be a list of numbers, not ${received(issue)}`),
    v.maxLength(max, `${what} holds at most ${max} values`),
  );
/**
 * An object whose refusals name the field: a missing key as "KEY is missing", and a list (which valibot's object
 * would otherwise take, then miss every key of) as not an object.
 */
export const object = <E extends v.ObjectEntries>(entries: E, what: string) =>
  v.object(entries, (issue) => {
    const at = issue.path?.[issue.path.length - 1];
    if (at && Array.isArray(at.input)) return `${what} must be an object, not a list`;
    if (at && issue.received === 'undefined') return `${String(at.key)} is missing`;
    return `${what} must be an object, not ${received(issue)}`;
  });

const InputV1 = v.pipe(
  object(
    {
      height: int(1, LIMITS.maxImageSide, 'input height'),
      width: int(1, LIMITS.maxImageSide, 'input width'),
      data: values('input value', LIMITS.maxImageSide * LIMITS.maxImageSide),
    },
    'input',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { height, width, data } = dataset.value;
    if (data.length !== height * width) {
      addIssue({
        message: `has ${data.length} values; a ${height}×${width} image needs ${height * width}`,
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'data', value: data }],
      });
    }
  }),
);

type ConvTensors = { outChannels: number; inChannels: number; weight: number[]; bias: number[] };

/** A convolution's weight must fill output × input channels × its kernel, and its bias hold one value per output channel. */
export const convTensorsCheck = <T extends ConvTensors>(kernelOf: (layer: T) => readonly [number, number]) =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { outChannels: o, inChannels: i, weight, bias } = dataset.value;
    const [kh, kw] = kernelOf(dataset.value);
    const at = (key: 'weight' | 'bias', value: unknown): [v.ObjectPathItem] => [{ type: 'object', origin: 'value', input: dataset.value, key, value }];
    if (weight.length !== o * i * kh * kw) {
      addIssue({ message: `has ${weight.length} values; ${o}×${i}×${kh}×${kw} (output × input × rows × columns) needs ${o * i * kh * kw}`, path: at('weight', weight) });
    } else if (bias.length !== o) {
      addIssue({ message: `has ${bias.length} values; it needs one per output channel (${o})`, path: at('bias', bias) });
    }
  });

const ConvV1 = v.pipe(
  object(
    {
      kind: v.literal('conv'),
      outChannels: int(1, LIMITS.maxChannels, 'output channels'),
      inChannels: int(1, LIMITS.maxChannels, 'input channels'),
      kernelSize: pair(1, LIMITS.maxKernelSide, 'kernel size'),
      weight: values('kernel value', LIMITS.maxChannels * LIMITS.maxChannels * LIMITS.maxKernelSide ** 2),
      bias: values('bias', LIMITS.maxChannels),
      stride: pair(1, LIMITS.maxStride, 'stride'),
      padding: pair(0, LIMITS.maxPadding, 'padding'),
      dilation: pair(1, LIMITS.maxDilation, 'dilation'),
      flip: bool('flip'),
    },
    'a layer',
  ),
  convTensorsCheck((layer) => layer.kernelSize),
);
const PoolV1 = object(
  {
    kind: v.literal('pool'),
    mode: v.picklist(['max', 'avg'], (issue) => `pooling mode must be "max" or "avg", not ${received(issue)}`),
    kernel: pair(1, LIMITS.maxKernelSide, 'pooling window'),
    stride: pair(1, LIMITS.maxStride, 'stride'),
    padding: pair(0, LIMITS.maxPadding, 'padding'),
    countIncludePad: bool('countIncludePad'),
  },
  'a layer',
);
const ActV1 = object(
  {
    kind: v.literal('act'),
    fn: v.picklist(['relu', 'sigmoid', 'tanh'], (issue) => `activation must be relu, sigmoid or tanh, not ${received(issue)}`),
  },
  'a layer',
);
const LayerV1 = v.variant('kind', [ConvV1, PoolV1, ActV1], (issue) => `layer kind must be "conv", "pool" or "act", not ${received(issue)}`);

/** The stack's layers as a list, before the channel chain is checked (version 2 starts it at the input's channels). */
export const LayerListV1 = v.pipe(
  v.array(LayerV1, (issue) => `layers must be a list, not ${received(issue)}`),
  v.maxLength(LIMITS.maxLayers, `a stack holds at most ${LIMITS.maxLayers} layers`),
);
type LayerListV1 = v.InferOutput<typeof LayerListV1>;

/** The first convolution that does not read what the layer before it (or the input's `channels`) gives, as an issue. */
export function brokenChannelChain(layers: readonly object[], channels: number): { message: string; index: number } | null {
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index] as { inChannels?: number; outChannels?: number };
    // A layer with channels of its own (a convolution, in every version) reads them; the others keep theirs.
    if (layer.inChannels === undefined || layer.outChannels === undefined) continue;
    if (layer.inChannels !== channels) {
      return { message: `is ${layer.inChannels}, but ${index === 0 ? 'the input gives' : 'the layer before gives'} ${channels}`, index };
    }
    channels = layer.outChannels;
  }
  return null;
}

const LayersV1 = v.pipe(
  LayerListV1,
  // The input has one channel; each convolution must read what the layer before it gives.
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const broken = brokenChannelChain(dataset.value, 1);
    if (!broken) return;
    const layer = dataset.value[broken.index];
    addIssue({
      message: broken.message,
      path: [
        { type: 'array', origin: 'value', input: dataset.value, key: broken.index, value: layer },
        { type: 'object', origin: 'value', input: layer, key: 'inChannels', value: (layer as { inChannels: number }).inChannels },
      ],
    });
  }),
);

const KernelRows = v.pipe(
  v.array(
    v.pipe(
      v.array(finite('target kernel value'), 'each row of the target kernel must be a list of numbers'),
      v.minLength(1, 'a target kernel row needs at least one value'),
      v.maxLength(LIMITS.maxKernelSide, `a target kernel row holds at most ${LIMITS.maxKernelSide} values`),
    ),
    'the target kernel must be a list of rows',
  ),
  v.minLength(1, 'the target kernel needs at least one row'),
  v.maxLength(LIMITS.maxKernelSide, `the target kernel holds at most ${LIMITS.maxKernelSide} rows`),
  v.check((rows) => rows.every((row) => row.length === rows[0].length), 'every row of the target kernel must be as long as the first'),
);

export const TrainingSettingsV1 = v.pipe(
  object(
    {
      input: v.picklist(['lab', 'bars'], (issue) => `training input must be "lab" or "bars", not ${received(issue)}`),
      target: v.picklist(['kernel', 'layer1'], (issue) => `training target must be "kernel" or "layer1", not ${received(issue)}`),
      targetKernel: KernelRows,
      targetHidden: bool('targetHidden'),
      kernelSize: pair(1, LIMITS.maxKernelSide, 'kernel size'),
      learnBias: bool('learnBias'),
      lr: v.pipe(finite('learning rate'), v.gtValue(0, 'learning rate must be positive')),
      iterations: int(1, LIMITS.maxTrainingSteps, 'iterations'),
      seed: int(0, 2 ** 31 - 1, 'seed'),
      initWeight: v.nullable(values('starting weight', LIMITS.maxKernelSide ** 2)),
      flip: bool('flip'),
    },
    'training settings',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { initWeight, kernelSize: [kh, kw] } = dataset.value;
    if (initWeight && initWeight.length !== kh * kw) {
      addIssue({
        message: `has ${initWeight.length} values; a ${kh}×${kw} kernel needs ${kh * kw}`,
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'initWeight', value: initWeight }],
      });
    }
  }),
);

const steps = LIMITS.maxTrainingSteps;
export const TrainingHistoryV1 = object(
  {
    losses: values('loss', steps),
    weights: v.pipe(
      v.array(values('kernel value', LIMITS.maxKernelSide ** 2), 'weights must be a list of kernels'),
      v.maxLength(steps, `the history holds at most ${steps} steps`),
    ),
    biases: values('bias', steps),
    /** The iteration of each entry, when a long run keeps only some of them. */
    at: v.optional(v.pipe(v.array(int(1, steps, 'iteration'), 'at must be a list of iterations'), v.maxLength(steps, `the history holds at most ${steps} steps`))),
    outcome: v.optional(v.picklist(['done', 'stopped', 'diverged'], (issue) => `outcome must be "done", "stopped" or "diverged", not ${received(issue)}`)),
  },
  'training history',
);

export const LabV1 = object(
  {
    input: InputV1,
    layers: LayersV1,
    training: object({ settings: TrainingSettingsV1, history: TrainingHistoryV1 }, 'training'),
  },
  'lab',
);

export type LabV1 = v.InferOutput<typeof LabV1>;
