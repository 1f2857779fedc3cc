/**
 * What a guide scene compares: the book's printed value and ConvLab's, each an array (printed NumPy-style, any rank)
 * or a line of text (a shape tuple, `True`, a written-out sum). Arrays agree within the parity tolerance, text exactly.
 */
import { formatValue } from '../numbers/format';

export type Nested = number | Nested[];
export type Printed = { kind: 'array'; value: Nested[] } | { kind: 'text'; value: string };

export const array = (value: Nested[]): Printed => ({ kind: 'array', value });
export const text = (value: string): Printed => ({ kind: 'text', value });

const leaves = (value: Nested): number[] => (Array.isArray(value) ? value.flatMap(leaves) : [value]);
const shapeOf = (value: Nested): number[] => (Array.isArray(value) ? [value.length, ...shapeOf(value[0] ?? 0)] : []);

/**
 * NumPy's print of an array of any rank: cells padded to one width with their decimal points aligned, blocks of
 * rank r separated by r − 1 blank lines, so a 1×2×2×2 array prints as the book's `[[[[ 5.  7.] … [14. 16.]]]]`.
 */
export function formatNested(value: Nested[]): string {
  const cells = leaves(value).map(formatValue);
  const split = (c: string): [string, string] => {
    const dot = c.indexOf('.');
    return dot < 0 ? [c, ''] : [c.slice(0, dot), c.slice(dot)];
  };
  const whole = Math.max(...cells.map((c) => split(c)[0].length));
  const fraction = Math.max(...cells.map((c) => split(c)[1].length));
  const pad = (v: number) => {
    const [w, f] = split(formatValue(v));
    return w.padStart(whole) + f.padEnd(fraction);
  };
  const rank = shapeOf(value).length;
  const print = (v: Nested[], depth: number): string => {
    if (depth === rank - 1) return `[${(v as number[]).map(pad).join(' ')}]`;
    const gap = '\n'.repeat(rank - depth - 1) + ' '.repeat(depth + 1);
    return `[${v.map((inner) => print(inner as Nested[], depth + 1)).join(gap)}]`;
  };
  return print(value, 0);
}

export function formatPrinted(p: Printed): string {
  return p.kind === 'text' ? p.value : formatNested(p.value);
}

/** The same shape and every value within 1e-5·max(1, |book|) for arrays; the same characters for text. */
export function agrees(book: Printed, ours: Printed | null): boolean {
  if (!ours || ours.kind !== book.kind) return false;
  if (book.kind === 'text') return book.value === ours.value;
  const a = book.value, b = ours.value as Nested[];
  if (shapeOf(a).join() !== shapeOf(b).join()) return false;
  const x = leaves(a), y = leaves(b);
  return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= 1e-5 * Math.max(1, Math.abs(v)));
}

/** A flat CHW block as nested lists of the given shape. */
export function nest(data: ArrayLike<number>, shape: readonly number[]): Nested[] {
  const build = (offset: number, dims: readonly number[]): Nested[] => {
    const [n, ...rest] = dims;
    const size = rest.reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => (rest.length === 0 ? data[offset + i] : build(offset + i * size, rest)));
  };
  return build(0, shape);
}

/** Python's print of a shape tuple: (8, 8), (3, 2, 2, 2). */
export const pythonShape = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
