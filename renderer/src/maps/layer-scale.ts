/**
 * A layer's colour scale (symmetricScale over all its channels), kept up to date as brush steps patch windows into
 * it: the largest finite |value| of every row is kept, and after a patch only the rows it touched are read again, so
 * a step costs its window and a pass over the rows' maxima instead of a pass over every value of the layer.
 */
import type { Scale } from './colormap';
import type { MapRevision } from './map-patches';

/** The largest finite |value| of `data[from, to)` (0 if none). */
function largest(data: Float32Array, from: number, to: number): number {
  let limit = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(data[i]);
    if (a > limit && Number.isFinite(a)) limit = a;
  }
  return limit;
}

/** A tracker for one layer's maps: call it with each revision of the layer's map, get symmetricScale's answer. */
export function createLayerScale(): (revision: MapRevision) => Scale {
  let rows = new Float64Array(0);
  let at: { map: object; serial: number } | null = null;
  let scale: Scale = { limit: 1 };
  return ({ map, serial, box }) => {
    const [, c, h, w] = map.shape;
    const data = map.data;
    const fromScratch = !at || at.map !== map || serial !== at.serial + 1 || rows.length !== c * h;
    if (at && at.map === map && serial === at.serial) return scale;
    if (fromScratch) {
      rows = new Float64Array(c * h);
      for (let r = 0; r < c * h; r++) rows[r] = largest(data, r * w, (r + 1) * w);
    } else {
      for (let ch = 0; ch < c; ch++) {
        for (let y = Math.max(0, box.y0); y <= Math.min(h - 1, box.y1); y++) rows[ch * h + y] = largest(data, (ch * h + y) * w, (ch * h + y + 1) * w);
      }
    }
    at = { map, serial };
    let limit = 0;
    for (let r = 0; r < rows.length; r++) if (rows[r] > limit) limit = rows[r];
    const next = limit > 0 ? limit : 1;
    // The same object while the limit stays, so nothing drawn on this scale is redone for it.
    if (next !== scale.limit) scale = { limit: next };
    return scale;
  };
}
