/** Checked reads of a node's attributes and constant inputs, shared by the graph ops: errors name the attribute and the rule. */
import { ConvLabError } from '../../errors';
import type { Tensor } from '../../tensor';
import type { GraphAttrs } from '../graph';

/** An integer attribute, or `fallback` when absent. */
export function intAttr(a: GraphAttrs, name: string, fallback: number): number {
  const v = a[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ConvLabError('format', `attribute '${name}' must be an integer`);
  return v;
}

/** A float attribute, or `fallback` when absent. */
export function floatAttr(a: GraphAttrs, name: string, fallback: number): number {
  const v = a[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new ConvLabError('format', `attribute '${name}' must be a number`);
  return v;
}

/** A list-of-integers attribute, or `fallback` when absent. */
export function intsAttr(a: GraphAttrs, name: string, fallback: number[]): number[];
export function intsAttr(a: GraphAttrs, name: string): number[] | undefined;
export function intsAttr(a: GraphAttrs, name: string, fallback?: number[]): number[] | undefined {
  const v = a[name];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || !v.every(Number.isInteger)) throw new ConvLabError('format', `attribute '${name}' must be a list of integers`);
  return v;
}

/** A string attribute, or `fallback` when absent. */
export function stringAttr(a: GraphAttrs, name: string, fallback: string): string {
  const v = a[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new ConvLabError('format', `attribute '${name}' must be text`);
  return v;
}

/** The integers of a constant input (Reshape's shape, Slice's starts…), refused by name when it is not constant. */
export function constInts(t: Tensor | undefined, what: string): number[] {
  if (t === undefined) throw new ConvLabError('format', `${what} must be a constant the model states (ConvLab runs static shapes)`);
  return Array.from(t.data, (x) => (Number.isFinite(x) ? Math.round(x) : x > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER));
}

/** `axis` as a position in a rank-`rank` tensor (negative counts from the end), refused outside the rank. */
export function normAxis(axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ConvLabError('range', `${what} ${axis} is outside a rank-${rank} tensor`);
  return a;
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}
