/**
 * ConvLab's one counting convention: everything a person reads is counted from 1 — layers, channels, rows, columns
 * and output cells — because that is how people count, how the cell editor, the sliding window ("cell 1 of 4") and
 * ARIA's row and column indices already speak, and what makes valid Chinese ordinals (第 1 行, never 第 0 行).
 * Inside the program, in saved files and in exported code, indices stay 0-based, as NumPy and PyTorch write them.
 */
export const counted = (index: number): number => index + 1;

/** A box of 0-based rows and columns, as a person reads it. */
export function countedBox(box: { top: number; bottom: number; left: number; right: number }): Record<'top' | 'bottom' | 'left' | 'right', number> {
  return { top: counted(box.top), bottom: counted(box.bottom), left: counted(box.left), right: counted(box.right) };
}
