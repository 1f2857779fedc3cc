/**
 * What data-parallel training needs from a network, with no threads in sight (the threads live in electron):
 * whether a batch may be split at all, the slices, the parameters as one flat array another thread can read, and
 * the slices' gradients added back up. A split batch gives one worker's step to float rounding: each slice's
 * gradient is Σ over its samples / the full batch size, so their sum is the whole batch's.
 */
import { recycling } from '../ops/floats';
import { sizeOf, type Tensor } from '../tensor';
import type { AnySpec, LeafKind } from '../layers/kind';
import { kindOf } from '../layers/table';
import type { LayerSpec, NetSpec, Params } from './model';
import { paramSlots } from './params';
import { lossAndGrads, type LossOptions } from './run';

/** Every leaf layer of `layers`, depth first, with its row of the table. */
function leaves(layers: readonly AnySpec[]): { spec: AnySpec; kind: LeafKind<AnySpec> }[] {
  return layers.flatMap((spec) => {
    const kind = kindOf(spec);
    return kind.container ? kind.branches(spec).flatMap((b) => leaves(b.layers)) : [{ spec, kind }];
  });
}

/**
 * Why `spec`'s batches cannot be split across threads, or null when they can: layers that couple a batch's samples
 * in a way a split cannot reproduce (their rows say why: dropout's one seeded stream). Batch norm couples them too,
 * through its statistics, but a split batch exchanges those mid-pass: see batchNormChannels.
 */
export function splitRefusal(spec: NetSpec): string | null {
  const found = [...new Set(leaves(spec).flatMap(({ kind }) => (kind.splitRefusal === undefined ? [] : [kind.splitRefusal])))];
  if (found.length === 0) return null;
  return `its ${found.join(' and ')} layers need the whole batch on one thread`;
}

/**
 * The most channels of any of `spec`'s batch norm layers, 0 when it has none. A split batch with batch norm
 * exchanges per-channel sums (at most three per channel, ops/batchnorm.ts) between its slices in every layer.
 */
export function batchNormChannels(layers: readonly LayerSpec[]): number {
  return leaves(layers).reduce((most, { spec, kind }) => Math.max(most, kind.exchangedChannels?.(spec) ?? 0), 0);
}

/** [start, end) of slice `part` of `parts` over `count` samples: contiguous and as even as the count allows. */
export function sliceOf(count: number, part: number, parts: number): [number, number] {
  return [Math.floor((part * count) / parts), Math.floor(((part + 1) * count) / parts)];
}

/** Every parameter of `spec` (learnable and state), in paramSlots order, end to end: its length in floats. */
export function flatParamLength(spec: NetSpec): number {
  return paramSlots(spec).reduce((s, slot) => s + sizeOf(slot.shape), 0);
}

/** Copies `params` into `flat` in paramSlots order (so another thread reading `flat` sees the same net). */
export function packParams(spec: NetSpec, params: Params, flat: Float32Array): void {
  let at = 0;
  for (const slot of paramSlots(spec)) {
    const data = params.get(slot.path)!.data;
    flat.set(data, at);
    at += data.length;
  }
}

/** Params whose tensors are views into `flat` (laid out as packParams lays them): no copy. */
export function paramsOver(spec: NetSpec, flat: Float32Array): Params {
  const params: Params = new Map();
  let at = 0;
  for (const slot of paramSlots(spec)) {
    const size = sizeOf(slot.shape);
    params.set(slot.path, { shape: [...slot.shape], data: flat.subarray(at, at + size) });
    at += size;
  }
  return params;
}

/** Copies the state (not learned: batch norm's moving statistics) out of `flat` (packParams's layout) into `params`. */
export function unpackState(spec: NetSpec, flat: Float32Array, params: Params): void {
  let at = 0;
  for (const slot of paramSlots(spec)) {
    const size = sizeOf(slot.shape);
    if (!slot.trainable) params.get(slot.path)!.data.set(flat.subarray(at, at + size));
    at += size;
  }
}

/** Learnable floats of `spec`: the length of a flat gradient. */
export function flatGradLength(spec: NetSpec): number {
  return paramSlots(spec).reduce((s, slot) => s + (slot.trainable ? sizeOf(slot.shape) : 0), 0);
}

/** Copies a slice's gradients into `flat` (learnable slots in paramSlots order). */
export function packGrads(spec: NetSpec, grads: Map<string, Float32Array>, flat: Float32Array): void {
  let at = 0;
  for (const slot of paramSlots(spec)) {
    if (!slot.trainable) continue;
    const size = sizeOf(slot.shape);
    const g = grads.get(slot.path);
    if (g === undefined) flat.fill(0, at, at + size);
    else flat.set(g, at);
    at += size;
  }
}

/**
 * A slice's summed loss and hits, its gradients written straight into `flat` (packGrads's layout) while the step's
 * arrays are still its own: nothing of the step is copied out to be copied again (batchGradients's copies are a
 * quarter megabyte a LeNet step, and the garbage collector's work on the thread that waits for every slice).
 */
export function sliceGradientsInto(spec: NetSpec, params: Params, x: Tensor, labels: Int32Array, o: LossOptions,
  flat: Float32Array): { lossSum: number; correct: number } {
  return recycling(() => {
    const r = lossAndGrads(spec, params, x, labels, o);
    packGrads(spec, r.grads, flat);
    return { lossSum: r.loss * labels.length, correct: r.correct };
  });
}

/** Each learnable parameter's gradient as a view of `flat` (packGrads's layout), by path. */
export function gradsOver(spec: NetSpec, flat: Float32Array): Map<string, Float32Array> {
  const grads = new Map<string, Float32Array>();
  let at = 0;
  for (const slot of paramSlots(spec)) {
    if (!slot.trainable) continue;
    const size = sizeOf(slot.shape);
    grads.set(slot.path, flat.subarray(at, at + size));
    at += size;
  }
  return grads;
}

/**
 * The slices' flat gradients (`slices` of them end to end in `flats`, packGrads's layout) added in slice order
 * into `sum`: from zero, slice 0 first, so the sum is the same whichever thread computed which slice.
 */
export function addSlices(flats: Float32Array, slices: number, sum: Float32Array): void {
  const length = sum.length;
  sum.fill(0);
  for (let c = 0; c < slices; c++) for (let i = 0, from = c * length; i < length; i++) sum[i] += flats[from + i];
}
