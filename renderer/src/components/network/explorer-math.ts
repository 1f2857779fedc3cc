/** The explorer's small page-side arithmetic: the input resized to the network's size, and a unit's field box. */
import type { FieldView } from '../../../../electron/contract/network-contract';
import type { InputImage } from '../../document/document';

/** Bilinear resampling of one channel of an image to side×side (pixel centres aligned, as image libraries do). */
export function resizeSquare(image: InputImage, side: number, channel = 0): Float32Array {
  const out = new Float32Array(side * side);
  const { height: h, width: w } = image;
  const data = image.data.subarray(channel * h * w, (channel + 1) * h * w);
  for (let y = 0; y < side; y++) {
    const sy = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / side - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(h - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < side; x++) {
      const sx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / side - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(w - 1, x0 + 1), fx = sx - x0;
      const top = data[y0 * w + x0] * (1 - fx) + data[y0 * w + x1] * fx;
      const bottom = data[y1 * w + x0] * (1 - fx) + data[y1 * w + x1] * fx;
      out[y * side + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** The networks read a grey or an RGB image: the lab's 1 or 3 channels, or the first of any other count. */
export const networkChannels = (image: InputImage): number => (image.channels === 1 || image.channels === 3 ? image.channels : 1);

/** The lab's input as the network reads it: networkChannels(image) channels, each resized to side×side, CHW. */
export function networkInput(image: InputImage, side: number): Float32Array {
  const c = networkChannels(image);
  const out = new Float32Array(c * side * side);
  for (let k = 0; k < c; k++) out.set(resizeSquare(image, side, k), k * side * side);
  return out;
}

export interface CellBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * The input pixels unit (y, x) reads, by the formula [u + i·j, u + i·j + r − 1] per axis, clipped to the image; null
 * when the field lies wholly in the padding.
 */
export function fieldBox(field: FieldView, y: number, x: number, side: number): CellBox | null {
  const top = Math.max(0, field.start[0] + y * field.jump[0]);
  const left = Math.max(0, field.start[1] + x * field.jump[1]);
  const bottom = Math.min(side - 1, field.start[0] + y * field.jump[0] + field.size[0] - 1);
  const right = Math.min(side - 1, field.start[1] + x * field.jump[1] + field.size[1] - 1);
  return bottom < top || right < left ? null : { top, left, bottom, right };
}

/** "(1, 64, 112, 112)": a shape as the book prints it. */
export const tupleText = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

/** "7×7" or "7×5": a per-axis pair. */
export const pairText = (p: readonly number[]): string => (p[0] === p[1] ? `${p[0]}×${p[0]}` : `${p[0]}×${p[1]}`);

/** A duration in the unit that reads best: seconds, minutes, hours or days (`t` gives the words). */
export function durationText(seconds: number, t: (key: string, values: Record<string, unknown>) => string): string {
  if (seconds < 120) return t('network.units.seconds', { n: Math.round(seconds) });
  if (seconds < 7200) return t('network.units.minutes', { n: Math.round(seconds / 60) });
  if (seconds < 172800) return t('network.units.hours', { n: (seconds / 3600).toFixed(1) });
  return t('network.units.days', { n: (seconds / 86400).toFixed(1) });
}
