/** Numbers as the book prints them: NumPy's style, "19." for whole floats, up to 7 significant digits otherwise. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '0.';
  // Whole numbers print as NumPy's "19."; past 1e16 they are no longer exact, and print in exponent form.
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.`;
  const text = Number(value.toPrecision(7)).toString();
  return text.replace(/^(-?)0\./, '$10.');
}

/** A compact form for cells that have little room: the book's style, at most 3 significant digits. */
export function formatCell(value: number): string {
  if (!Number.isFinite(value)) return formatValue(value);
  if (Object.is(value, -0) || value === 0) return '0.';
  // Whole numbers keep the book's trailing point ("19."), as NumPy prints a float array.
  if (Number.isInteger(value) && Math.abs(value) < 1e5) return `${value}.`;
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/** Reads a number the way a person types it: "−1" with a real minus sign, "1e-3", ".5", "1/9". */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[−–]/g, '-');
  if (cleaned === '') return null;
  const fraction = /^(-?\d*\.?\d+)\s*\/\s*(\d*\.?\d+)$/.exec(cleaned);
  if (fraction) {
    const value = Number(fraction[1]) / Number(fraction[2]);
    return Number.isFinite(value) ? value : null;
  }
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}
