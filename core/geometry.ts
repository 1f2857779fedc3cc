/** Per-axis settings ([height, width] pairs) and the floor-mode output-size rule shared by conv and pool. */
import { check } from './errors';

/** A per-axis setting or result: [height, width]. */
export type Pair = [number, number];

/** A number applies to both axes; a pair is taken as [height, width]. */
export function toPair(v: number | readonly number[], name: string): Pair {
  if (typeof v === 'number') return [v, v];
  check(v.length === 2, 'shape', () => `${name} must be a number or a [height, width] pair, got ${v.length} values`);
  return [v[0], v[1]];
}

/** "3×5", or "3" when both axes agree. */
export function pairText(p: readonly number[]): string {
  return p[0] === p[1] ? `${p[0]}` : `${p[0]}×${p[1]}`;
}

/** Extent of a dilated kernel side: d(k−1)+1. */
export function dilatedExtent(k: number, d: number): number {
  return d * (k - 1) + 1;
}

/** Floor mode, as PyTorch and MXNet: ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1. */
export function outSize(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - dilatedExtent(k, d)) / s) + 1;
}

/** Checks an integer per-axis setting lies in [min, max]; `code` is 'limit' above LIMITS, else 'range'. */
export function checkPairRange(p: Pair, name: string, min: number, max: number): void {
  for (const v of p) {
    check(Number.isInteger(v), 'range', () => `${name} must be a whole number, got ${v}`);
    check(v >= min, 'range', () => `${name} must be ≥ ${min}, got ${v}`);
    check(v <= max, 'limit', () => `${name} ${v} is above the limit of ${max}`);
  }
}
