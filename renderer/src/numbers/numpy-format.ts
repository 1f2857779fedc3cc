/** Arrays printed the way the book's notebooks print them (NumPy / MXNet style), e.g. "[[19. 25.]\n [37. 43.]]". */
import { formatValue } from './format';

/**
 * NumPy's layout: every cell as its shortest form, decimal points aligned — the whole parts padded on the left, the
 * fractions on the right — so [[0.9895, -0.9873705]] prints "[[ 0.9895    -0.9873705]]" (d2l 5.1.4).
 */
export function formatArray(rows: readonly (readonly number[])[]): string {
  const cells = rows.map((row) => row.map(formatValue));
  const split = (c: string): [string, string] => {
    const dot = c.indexOf('.');
    return dot < 0 ? [c, ''] : [c.slice(0, dot), c.slice(dot)];
  };
  const whole = Math.max(...cells.flat().map((c) => split(c)[0].length));
  const fraction = Math.max(...cells.flat().map((c) => split(c)[1].length));
  const pad = (c: string) => {
    const [w, f] = split(c);
    return w.padStart(whole) + f.padEnd(fraction);
  };
  const lines = cells.map((row, i) => `${i === 0 ? '[[' : ' ['}${row.map(pad).join(' ')}]`);
  return `${lines.join('\n')}]`;
}

export function rowsOf(data: ArrayLike<number>, height: number, width: number): number[][] {
  return Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => data[y * width + x]));
}
