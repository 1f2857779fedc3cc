/** An outline cut to a map's cells: the canvas and the exported picture draw the same part of a box. */
export interface ClippedBox {
  top: number;
  left: number;
  /** Rows and columns the box covers once clipped (inclusive bounds made counts). */
  rows: number;
  cols: number;
}

/**
 * The part of `box` (inclusive cell bounds, possibly past the edges: a window over padding) that lies on a
 * `height` × `width` map, or null when none of it does.
 */
export function clipBox(box: { top: number; left: number; bottom: number; right: number }, height: number, width: number): ClippedBox | null {
  const top = Math.max(0, box.top);
  const left = Math.max(0, box.left);
  const bottom = Math.min(height - 1, box.bottom);
  const right = Math.min(width - 1, box.right);
  if (bottom < top || right < left) return null;
  return { top, left, rows: bottom - top + 1, cols: right - left + 1 };
}
