/**
 * Version 3 of the lab file: a lab may keep a trained network (LeNet of section 5.5, BN-LeNet of 5.10, or a
 * scaled-down ResNet-18, NiN or GoogLeNet), so it opens and classifies without retraining. `lab.net` (optional) holds
 * - `settings`: the run's settings (net — absent means LeNet —, activation, pooling, channels, lr, batch size, epochs,
 *   seed, momentum, and the width divisor of a scaled-down net);
 * - `params`: every parameter tensor of the net, in model order, as `{ path, shape, data }`, where `data` is the
 *   tensor's values as float32 little-endian bytes in base64 (LeNet's 44,426 floats are ~237 KB, not ~900 KB of
 *   decimal text);
 * - `history`: the per-epoch lines and metrics, and the per-batch loss series (every `batchStride`-th batch, so a
 *   long run stays at most MAX_SAVED_BATCH_LOSSES points).
 * The gate decodes the weights and refuses a wrong shape, a non-finite value, an unknown path or a missing tensor,
 * naming the tensor and the rule. Everything else is as in version 2; a version-2 lab has no net.
 */
import * as v from 'valibot';
import { LIMITS } from '../../core/limits';
import type { Params } from '../../core/nets/model';
import { paramSlots } from '../../core/nets/params';
import { NET_TITLES, trainingNet } from '../../core/nets/catalogue';
import { int, object } from './lab-file-v1';
import { LabV2 } from './lab-file-v2';
import { decodeFloats, encodeFloats, isBase64 } from './float-base64';
import { NetSettingsSchema, type NetSettings } from './net-contract';

/** Most per-batch losses a lab keeps; longer series are decimated (every k-th batch). */
export const MAX_SAVED_BATCH_LOSSES = 5000;
/**
 * The most values one tensor may hold: the largest trainable tensor is ResNet-18's 512×512×3×3 at divisor 1
 * (2,359,296 values; NiN's largest is 884,736, GoogLeNet's 663,552), with room.
 */
export const MAX_TENSOR_VALUES = 4_000_000;
/** base64 takes 4 characters for every 3 bytes, and a value is 4 bytes (float32): the text of MAX_TENSOR_VALUES. */
export const MAX_TENSOR_BASE64 = 4 * Math.ceil((MAX_TENSOR_VALUES * 4) / 3);
/** Tensors of the largest trainable net (ResNet-18 with its batch norms has a few hundred), with room. */
const MAX_NET_TENSORS = 1024;

const number = (what: string) =>
  v.pipe(v.number((issue) => `${what} must be a number, not ${issue.received}`), v.finite(`${what} must be a finite number`));

const TensorV3 = object(
  {
    path: v.pipe(v.string('a parameter path must be text'), v.maxLength(200, 'a parameter path holds at most 200 characters')),
    shape: v.pipe(v.array(int(1, MAX_TENSOR_VALUES, 'a dimension')), v.minLength(1, 'a shape has at least one dimension'), v.maxLength(4, 'a shape has at most 4 dimensions')),
    data: v.pipe(
      v.string('data must be base64 text (float32, little-endian)'),
      v.maxLength(MAX_TENSOR_BASE64, `data holds at most ${MAX_TENSOR_VALUES} values (${MAX_TENSOR_BASE64} base64 characters)`),
      v.check(isBase64, 'data must be base64 text (float32, little-endian)'),
    ),
  },
  'a parameter',
);

const EpochV3 = object(
  {
    epoch: int(1, LIMITS.maxEpochs, 'epoch'),
    loss: number('loss'),
    trainAcc: number('train acc'),
    testAcc: number('test acc'),
    seconds: number('seconds'),
    line: v.pipe(v.string('line must be text'), v.maxLength(200, 'line holds at most 200 characters')),
  },
  'an epoch',
);

const HistoryV3 = object(
  {
    epochs: v.pipe(v.array(EpochV3, 'epochs must be a list'), v.maxLength(LIMITS.maxEpochs, `epochs holds at most ${LIMITS.maxEpochs} lines`)),
    batchLosses: v.pipe(
      v.array(number('batch loss'), 'batchLosses must be a list of numbers'),
      v.maxLength(MAX_SAVED_BATCH_LOSSES, `batchLosses holds at most ${MAX_SAVED_BATCH_LOSSES} values`),
    ),
    batchStride: int(1, Number.MAX_SAFE_INTEGER, 'batchStride'),
  },
  'net history',
);

const shapeText = (shape: readonly number[]) => shape.join('×');

/** The first broken rule of a net's tensors, with the index of the tensor it concerns (or null when all are right). */
export function brokenNetParams(net: { settings: NetSettings; params: { path: string; shape: number[]; data: string }[] }): { index: number | null; message: string } | null {
  const slots = paramSlots(trainingNet({ ...net.settings, channels: [...net.settings.channels] }).spec);
  const bySlot = new Map(slots.map((slot) => [slot.path, slot]));
  const seen = new Set<string>();
  for (const [index, tensor] of net.params.entries()) {
    const slot = bySlot.get(tensor.path);
    if (!slot) return { index, message: `parameter ${tensor.path} belongs to no layer of this ${NET_TITLES[net.settings.net]}` };
    if (seen.has(tensor.path)) return { index, message: `parameter ${tensor.path} appears twice` };
    seen.add(tensor.path);
    if (tensor.shape.length !== slot.shape.length || tensor.shape.some((d, i) => d !== slot.shape[i])) {
      return { index, message: `parameter ${tensor.path} has shape ${shapeText(tensor.shape)} but the network needs ${shapeText(slot.shape)}` };
    }
    const size = slot.shape.reduce((a, b) => a * b, 1);
    const bytes = (tensor.data.length / 4) * 3 - (tensor.data.endsWith('==') ? 2 : tensor.data.endsWith('=') ? 1 : 0);
    if (bytes !== size * 4) {
      return { index, message: `parameter ${tensor.path} holds ${bytes} bytes but its shape ${shapeText(slot.shape)} needs ${size * 4} (${size} float32 values)` };
    }
    const values = decodeFloats(tensor.data);
    const bad = values.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) return { index, message: `parameter ${tensor.path} value ${bad} is ${values[bad]}; weights must be finite numbers` };
  }
  const missing = slots.find((slot) => !seen.has(slot.path));
  return missing ? { index: null, message: `parameter ${missing.path} (shape ${shapeText(missing.shape)}) is missing` } : null;
}

export const NetV3 = v.pipe(
  object(
    {
      settings: NetSettingsSchema,
      params: v.pipe(v.array(TensorV3, 'params must be a list of tensors'), v.maxLength(MAX_NET_TENSORS, `params holds at most ${MAX_NET_TENSORS} tensors`)),
      history: HistoryV3,
    },
    'net',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    // A settings field already refused (divisor 0, say) would only fail again, less clearly, in building the net.
    if (!dataset.typed || dataset.issues) return;
    const broken = brokenNetParams(dataset.value);
    if (!broken) return;
    const { params } = dataset.value;
    addIssue({
      message: broken.message,
      path: [
        { type: 'object', origin: 'value', input: dataset.value, key: 'params', value: params },
        ...(broken.index === null ? [] : [{ type: 'array' as const, origin: 'value' as const, input: params, key: broken.index, value: params[broken.index] }]),
      ],
    });
  }),
);
export type SavedNet = v.InferOutput<typeof NetV3>;

/** netTrainingLoad: a saved net into the engine worker, checked by the very rules of the lab file's gate. */
export const NetLoadRequest = v.object({ net: NetV3 });

export const LabV3 = v.pipe(
  v.intersect([LabV2, object({ net: v.optional(NetV3) }, 'lab')], (issue) => `lab must be an object, not ${issue.received}`),
);
export type LabV3 = v.InferOutput<typeof LabV3>;

// The weights' base64, where the page and the tests have always found it.
export { decodeFloats, encodeFloats, isBase64 };

/** A version-2 lab as version 3: it kept no trained net. */
export function labV2toV3(lab: v.InferOutput<typeof LabV2>): LabV3 {
  return { ...lab };
}

/** A saved net's tensors as the engine's Params (the gate has checked them). */
export function savedNetParams(net: SavedNet): Params {
  return new Map(net.params.map((t) => [t.path, { shape: [...t.shape], data: decodeFloats(t.data) }]));
}

/** Every k-th value of a long series, so at most `max` remain; k is returned to label the chart's batches. */
export function decimate(series: readonly number[], max = MAX_SAVED_BATCH_LOSSES): { values: number[]; stride: number } {
  const stride = Math.max(1, Math.ceil(series.length / max));
  const values: number[] = [];
  for (let i = 0; i < series.length; i += stride) values.push(series[i]);
  return { values, stride };
}

/** A trained net's settings, tensors (in model order) and history as a lab's `net`. */
export function saveNet(settings: NetSettings, params: Params, history: { epochs: SavedNet['history']['epochs']; batchLosses: readonly number[] }): SavedNet {
  const slots = paramSlots(trainingNet({ ...settings, channels: [...settings.channels] }).spec);
  const { values, stride } = decimate(history.batchLosses);
  return {
    settings: { ...settings, channels: [...settings.channels] },
    params: slots.map((slot) => {
      const t = params.get(slot.path);
      if (!t) throw new Error(`parameter ${slot.path} is missing`);
      return { path: slot.path, shape: [...t.shape], data: encodeFloats(t.data) };
    }),
    history: {
      epochs: history.epochs.map(({ epoch, loss, trainAcc, testAcc, seconds, line }) => ({ epoch, loss, trainAcc, testAcc, seconds, line })),
      batchLosses: values,
      batchStride: stride,
    },
  };
}
