/** The accessible name of a cell: its number, exactly enough to compare with the book (7 significant digits). */
export function numberLabel(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return '0';
  return String(Number(value.toPrecision(7)));
}
