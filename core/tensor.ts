/** Tensor: a shape and a row-major Float32Array (NCHW for images, OIHW for kernels), plus small helpers. */
import { check, ConvLabError } from './errors';
import { LIMITS } from './limits';

/**
 * A dense tensor. Plain data rather than a class so it crosses worker boundaries by structured clone
 * (and its buffer can be transferred) without losing anything.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Number of elements in a tensor of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** "1×1×6×8": shapes as the app prints them. */
export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

/** Checks a shape is made of whole positive sizes and fits in LIMITS.maxTensorSize. */
export function checkShape(shape: readonly number[], what = 'tensor'): void {
  for (const d of shape) {
    check(Number.isInteger(d) && d >= 1, 'shape', () => `${what} shape ${shape.join('×')} must be whole sizes ≥ 1`);
  }
  const n = sizeOf(shape);
  check(n <= LIMITS.maxTensorSize, 'limit',
    () => `${what} ${shapeText(shape)} has ${n} values, above the limit of ${LIMITS.maxTensorSize}`);
}

/** A tensor of `shape`, zero-filled or holding `data` (copied from arrays, taken as is from a Float32Array). */
export function tensor(shape: readonly number[], data?: Float32Array | ArrayLike<number>): Tensor {
  checkShape(shape);
  const n = sizeOf(shape);
  const values = data === undefined ? new Float32Array(n) : data instanceof Float32Array ? data : Float32Array.from(data);
  check(values.length === n, 'shape', () => `data has ${values.length} values but shape ${shapeText(shape)} needs ${n}`);
  return { shape: [...shape], data: values };
}

/** A zero tensor of `shape`. */
export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape);
}

/** The same values under another shape of equal size (shares the data). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  check(sizeOf(shape) === t.data.length, 'shape',
    () => `cannot reshape ${shapeText(t.shape)} (${t.data.length} values) to ${shapeText(shape)}`);
  return { shape: [...shape], data: t.data };
}

/** Throws 'nonfinite' naming the first NaN or ±Infinity in `data`. */
export function checkFinite(data: Float32Array, what = 'input'): void {
  // v·0 is 0 for every finite v and NaN otherwise: summing blocks of those skips a branch per value; only a block
  // that is not all finite is searched for the first culprit.
  const BLOCK = 64;
  let start = 0;
  for (; start + BLOCK <= data.length; start += BLOCK) {
    // Four sums, so each add waits on one four values back rather than the last.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = start; i < start + BLOCK; i += 4) {
      s0 += data[i] * 0;
      s1 += data[i + 1] * 0;
      s2 += data[i + 2] * 0;
      s3 += data[i + 3] * 0;
    }
    if (s0 + s1 + s2 + s3 !== 0) break;
  }
  for (let i = start; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      throw new ConvLabError('nonfinite', `${what} contains ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at index ${i}`);
    }
  }
}

/** Checks `t` has rank `rank` and consistent data, naming it `what` in the message. */
export function checkRank(t: Tensor, rank: number, layout: string, what: string): void {
  check(t.shape.length === rank, 'shape', () => `${what} must be ${layout} (rank ${rank}), got shape ${shapeText(t.shape)}`);
  check(t.data.length === sizeOf(t.shape), 'shape',
    () => `${what} has ${t.data.length} values but its shape ${shapeText(t.shape)} needs ${sizeOf(t.shape)}`);
}
