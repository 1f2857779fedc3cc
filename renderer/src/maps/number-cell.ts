/**
 * How much room a map's numbers need. A cell writes its number in a font that grows with the cell up to 14 px; a
 * number is written only where the widest of the map fits with a margin, so neighbours never run together, and
 * maps whose numbers are the point (kernels, learned weights) ask for cells wide enough for all of them.
 */
import { formatCell } from '../numbers/format';

/** The font size of a cell's number, in pixels. */
export const cellFontSize = (cell: number): number => Math.max(9, Math.min(14, cell * 0.36));

/** Characters of the longest number of the map, as the cells write them. */
export function widestNumber(data: ArrayLike<number>): number {
  let widest = 0;
  for (let i = 0; i < data.length; i++) widest = Math.max(widest, formatCell(data[i]).length);
  return widest;
}

/** Whether every number fits a cell of this size. (Digits of a tabular sans font are about 0.62 em wide.) */
export const numbersFit = (chars: number, cell: number): boolean => chars * cellFontSize(cell) * 0.62 + 6 <= cell;

/** The smallest cell, at least `least` pixels, in which every number of the map is written whole. */
export function cellForNumbers(data: ArrayLike<number>, least: number): number {
  const chars = widestNumber(data);
  let cell = least;
  while (!numbersFit(chars, cell) && cell < 120) cell++;
  return cell;
}
