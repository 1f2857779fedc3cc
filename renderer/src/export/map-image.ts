/** A map as a PNG in the lab's own colours, each cell a square of N×N pixels, and as CSV values. */
import { paintPixels, type Scale } from '../maps/colormap';
import { float32Number } from '../document/lab-codec';

/** The largest side of an exported image, in pixels (a 4096² RGBA image is 64 MB while it is made). */
export const MAX_EXPORT_SIDE = 4096;

/** The largest whole number of pixels per cell that keeps the image within MAX_EXPORT_SIDE. */
export const maxPixelsPerCell = (height: number, width: number) => Math.max(1, Math.floor(MAX_EXPORT_SIDE / Math.max(height, width)));

/** RGBA pixels of one channel, each cell repeated as an n×n block (exact: no smoothing, no resampling). */
export function mapPixels(data: Float32Array, height: number, width: number, scale: Scale, n: number): Uint8ClampedArray<ArrayBuffer> {
  const cells = new Uint8ClampedArray(height * width * 4);
  paintPixels(data, scale, cells);
  const out = new Uint8ClampedArray(height * n * width * n * 4);
  const rowBytes = width * n * 4;
  for (let y = 0; y < height; y++) {
    const row = out.subarray(y * n * rowBytes, (y * n + 1) * rowBytes);
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < n; k++) row.set(cells.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), (x * n + k) * 4);
    }
    for (let k = 1; k < n; k++) out.copyWithin((y * n + k) * rowBytes, y * n * rowBytes, (y * n + 1) * rowBytes);
  }
  return out;
}

/** The PNG file of one channel at n pixels per cell. */
export async function mapPng(data: Float32Array, height: number, width: number, scale: Scale, n: number): Promise<Uint8Array> {
  if (Math.max(height, width) * n > MAX_EXPORT_SIDE) throw new Error(`an image is at most ${MAX_EXPORT_SIDE} pixels on a side`);
  const canvas = new OffscreenCanvas(width * n, height * n);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this window cannot draw images');
  context.putImageData(new ImageData(mapPixels(data, height, width, scale, n), width * n, height * n), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

/** One channel's values as CSV: one line per row, as the book prints its arrays. */
export function mapCsv(data: Float32Array, height: number, width: number): string {
  const lines: string[] = [];
  for (let y = 0; y < height; y++) lines.push(Array.from(data.subarray(y * width, (y + 1) * width), float32Number).join(','));
  return `${lines.join('\n')}\n`;
}

/** The loss of each kept iteration of the last training run. */
export function lossCsv(losses: readonly number[], at?: readonly number[]): string {
  return `iteration,loss\n${losses.map((loss, i) => `${at?.[i] ?? i + 1},${loss}`).join('\n')}\n`;
}
