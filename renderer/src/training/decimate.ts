/**
 * Fewer points for a long line: a chart a few hundred pixels wide gains nothing from 10,000 points. Buckets of
 * consecutive entries keep their smallest and largest value, in order, so spikes survive and the shape does not lie.
 */
export interface Point {
  x: number;
  y: number;
}

/**
 * Writes at most ~maxPoints points of (x(t), y(t)), t < count, into `out` (reusing its objects) and returns it.
 * Entries whose y is not finite (or not positive, with `positiveOnly` for a log scale) are skipped.
 */
export function decimate(
  count: number,
  x: (t: number) => number,
  y: (t: number) => number,
  maxPoints: number,
  out: Point[],
  positiveOnly = false,
): Point[] {
  let n = 0;
  const put = (t: number) => {
    const point = out[n] ?? (out[n] = { x: 0, y: 0 });
    point.x = x(t);
    point.y = y(t);
    n++;
  };
  const ok = (v: number) => Number.isFinite(v) && (!positiveOnly || v > 0);
  const bucket = Math.max(1, Math.ceil((2 * count) / Math.max(2, maxPoints)));
  for (let start = 0; start < count; start += bucket) {
    const end = Math.min(count, start + bucket);
    if (bucket === 1) {
      if (ok(y(start))) put(start);
      continue;
    }
    let lo = -1, hi = -1;
    for (let t = start; t < end; t++) {
      const v = y(t);
      if (!ok(v)) continue;
      if (lo < 0 || v < y(lo)) lo = t;
      if (hi < 0 || v > y(hi)) hi = t;
    }
    if (lo < 0) continue;
    put(Math.min(lo, hi));
    if (lo !== hi) put(Math.max(lo, hi));
  }
  out.length = n;
  return out;
}
