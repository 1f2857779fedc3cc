/** Arrays printed the way the book's notebooks print them (NumPy / MXNet style), e.g. "[[19. 25.]\n [37. 43.]]". */
import { formatValue } from './format';

export function formatArray(rows: readonly (readonly number[])[]): string {
  const cells = rows.map((row) => row.map(formatValue));
  const width = Math.max(...cells.flat().map((c) => c.length));
  const lines = cells.map((row, i) => `${i === 0 ? '[[' : ' ['}${row.map((c) => c.padStart(width)).join(' ')}]`);
  return `${lines.join('\n')}]`;
}

export function rowsOf(data: ArrayLike<number>, height: number, width: number): number[][] {
  return Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => data[y * width + x]));
}
