/**
 * The checks and arithmetic several layer kinds share: whole-number settings, [height, width] pairs, the floor-mode
 * window arithmetic, a window's field step and the cells a window reads.
 */
import { check } from '../errors';
import type { Pair } from '../geometry';
import { clipBox, EMPTY_BOX, isEmptyBox, type Box, type RfLayer } from '../receptive-field';

/** A shape as the book and the messages write it: (1, 96, 54, 54). */
export const shapeTuple = (s: readonly number[]): string => `(${s.join(', ')})`;

/** The field step of a layer that reads one cell per output cell. */
export const IDENTITY_STEP: RfLayer = { kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1] };

/** Refuses anything but a whole number ≥ min, naming the setting. */
export function wholeAtLeast(v: unknown, min: number, what: string): void {
  check(typeof v === 'number' && Number.isInteger(v) && v >= min, 'range', () => `${what} must be a whole number ≥ ${min}, got ${String(v)}`);
}

/** Refuses anything but a [height, width] pair of whole numbers ≥ min. */
export function checkPair(p: unknown, min: number, what: string): void {
  check(Array.isArray(p) && p.length === 2, 'format', () => `${what} must be a [height, width] pair`);
  wholeAtLeast(p[0], min, what);
  wholeAtLeast(p[1], min, what);
}

/** Refuses an input that is not NCHW. */
export function needMap(shape: readonly number[], type: string): void {
  check(shape.length === 4, 'shape', () => `${type} needs an NCHW input, got ${shapeTuple(shape)}`);
}

/** Values per sample: the features a flatten or a dense layer sees. */
export const featuresOf = (shape: readonly number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);

/** A sliding window's settings, as conv2d and the poolings carry them. */
export interface WindowSettings {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
}

/** Checks a window's settings: kernel and stride ≥ 1, padding ≥ 0. */
export function checkWindow(spec: WindowSettings): void {
  checkPair(spec.kernel, 1, 'kernel');
  checkPair(spec.stride, 1, 'stride');
  checkPair(spec.padding, 0, 'padding');
}

/**
 * Floor-mode output size per axis, refusing a window that does not fit: ⌊(n + 2p − k)/s⌋ + 1 must be ≥ 1.
 * The message writes the arithmetic out, e.g. "⌊(2 + 2·0 − 3)/2⌋ + 1 = 0".
 */
export function windowOutput(shape: readonly number[], spec: WindowSettings, what: string): Pair {
  const out: Pair = [0, 0];
  const axes = ['height', 'width'];
  for (let a = 0; a < 2; a++) {
    const n = shape[2 + a], k = spec.kernel[a], s = spec.stride[a], p = spec.padding[a];
    out[a] = Math.floor((n + 2 * p - k) / s) + 1;
    check(out[a] >= 1, 'shape', () => `the ${spec.kernel.join('×')} ${what} does not fit the input ${shape[2]}×${shape[3]} ` +
      `(${axes[a]}: ⌊(${n} + 2·${p} − ${k})/${s}⌋ + 1 = ${out[a]}); the input is too small`);
  }
  return out;
}

/** A window's field step (no dilation). */
export function windowStep(spec: WindowSettings): RfLayer {
  return { kernel: spec.kernel, stride: spec.stride, padding: spec.padding, dilation: [1, 1] };
}

/** The cells of an h×w input a box of a window's output reads, clipped to the input. */
export function windowReads(spec: WindowSettings, b: Box, [h, w]: Pair): Box {
  if (isEmptyBox(b)) return b;
  const [sh, sw] = spec.stride, [ph, pw] = spec.padding, [kh, kw] = spec.kernel;
  return clipBox({ top: b.top * sh - ph, left: b.left * sw - pw, bottom: b.bottom * sh - ph + kh - 1, right: b.right * sw - pw + kw - 1 }, h, w);
}

/** Every cell of an h×w input: what a unit reading the whole map reads. */
export function wholeMap(b: Box, [h, w]: Pair): Box {
  return isEmptyBox(b) ? b : { top: 0, left: 0, bottom: h - 1, right: w - 1 };
}

/** The box itself: layers that read one cell per output cell. */
export const sameBox = (_spec: unknown, b: Box): Box => b;

/** Reads a whole number ≥ 0 from plain data, or fails naming it. */
export function intOf(v: unknown, name: string, fail: (what: string) => never): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${name} must be a whole number`);
  return v;
}

/** Reads a [height, width] pair from plain data, or fails naming it. */
export function pairOf(v: unknown, name: string, fail: (what: string) => never): Pair {
  if (!Array.isArray(v) || v.length !== 2) fail(`${name} must be a [height, width] pair`);
  return [intOf(v[0], name, fail), intOf(v[1], name, fail)];
}

/** Reads a finite number from plain data, or fails naming it. */
export function numberOf(v: unknown, name: string, fail: (what: string) => never): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${name} must be a finite number`);
  return v;
}

/** Reads a window's kernel, stride and padding from plain data. */
export function windowOf(d: Record<string, unknown>, fail: (what: string) => never): WindowSettings {
  return { kernel: pairOf(d.kernel, 'kernel', fail), stride: pairOf(d.stride, 'stride', fail), padding: pairOf(d.padding, 'padding', fail) };
}

/** The smallest box holding every non-empty box (EMPTY_BOX if none). */
export function hullBox(boxes: readonly Box[]): Box {
  const real = boxes.filter((b) => !isEmptyBox(b));
  if (real.length === 0) return EMPTY_BOX;
  return {
    top: Math.min(...real.map((b) => b.top)), left: Math.min(...real.map((b) => b.left)),
    bottom: Math.max(...real.map((b) => b.bottom)), right: Math.max(...real.map((b) => b.right)),
  };
}
