/**
 * Contour lines of a grid by marching squares: for each level, the segments where the surface crosses it, in the
 * grid's own coordinates (column i, row j at cell centres), for the loss-surface plot.
 */
export type Segment = [number, number, number, number];

/** Segments of the level set {v = level} of values (row-major, width × height). */
export function contourSegments(values: ArrayLike<number>, width: number, height: number, level: number): Segment[] {
  const segments: Segment[] = [];
  const at = (i: number, j: number) => values[j * width + i];
  // Where along an edge from value a to value b the level lies (0..1).
  const cut = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let j = 0; j + 1 < height; j++) {
    for (let i = 0; i + 1 < width; i++) {
      const tl = at(i, j), tr = at(i + 1, j), br = at(i + 1, j + 1), bl = at(i, j + 1);
      const code = (tl > level ? 8 : 0) | (tr > level ? 4 : 0) | (br > level ? 2 : 0) | (bl > level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const top: [number, number] = [i + cut(tl, tr), j];
      const right: [number, number] = [i + 1, j + cut(tr, br)];
      const bottom: [number, number] = [i + cut(bl, br), j + 1];
      const left: [number, number] = [i, j + cut(tl, bl)];
      const pairs: [number, number][][] = {
        1: [[left, bottom]], 2: [[bottom, right]], 3: [[left, right]], 4: [[top, right]],
        5: [[left, top], [bottom, right]], 6: [[top, bottom]], 7: [[left, top]], 8: [[left, top]],
        9: [[top, bottom]], 10: [[left, bottom], [top, right]], 11: [[top, right]], 12: [[left, right]],
        13: [[bottom, right]], 14: [[left, bottom]],
      }[code] ?? [];
      for (const [a, b] of pairs) segments.push([a[0], a[1], b[0], b[1]]);
    }
  }
  return segments;
}

/** Levels spaced evenly in log scale between the smallest positive value and the largest: a quadratic's bowl reads well. */
export function logLevels(values: ArrayLike<number>, count: number): number[] {
  let lo = Infinity, hi = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v > 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > 0) || !Number.isFinite(lo)) return [];
  lo = Math.max(lo, hi * 1e-6);
  const step = Math.log(hi / lo) / (count + 1);
  return Array.from({ length: count }, (_, k) => lo * Math.exp(step * (k + 1)));
}
