/** Turns a PNG or JPEG the user picked or dropped into a grey or RGB input at the resolution they chose. */
import { makeImage, type InputImage } from '../document/document';

export const IMPORT_SIDES = [16, 28, 32, 64, 128, 256] as const;
/** Grey: one channel (luma). RGB: three channels, red, green and blue, as the book's colour images are. */
export type ImportColour = 'grey' | 'rgb';

/** Luma (ITU-R BT.601) of each pixel, 0 for black to 1 for white, with transparency composited on white. */
export function toGrayscale(rgba: Uint8ClampedArray, height: number, width: number): InputImage {
  const image = makeImage(height, width);
  for (let i = 0; i < height * width; i++) {
    const alpha = rgba[i * 4 + 3] / 255;
    const luma = (0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]) / 255;
    image.data[i] = Math.round((luma * alpha + (1 - alpha)) * 1000) / 1000;
  }
  return image;
}

/** Red, green and blue as three channels (CHW), 0 to 1, with transparency composited on white. */
export function toRgb(rgba: Uint8ClampedArray, height: number, width: number): InputImage {
  const image = makeImage(height, width, 0, 3);
  const size = height * width;
  for (let i = 0; i < size; i++) {
    const alpha = rgba[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) image.data[c * size + i] = Math.round(((rgba[i * 4 + c] / 255) * alpha + (1 - alpha)) * 1000) / 1000;
  }
  return image;
}

export async function importImageFile(file: Blob, longSide: number, colour: ImportColour = 'grey'): Promise<InputImage> {
  // The caller names the file in the user's language; these messages are for the log.
  if (!/^image\/(png|jpeg)$/.test(file.type)) throw new Error(`not a PNG or JPEG image (${file.type || 'unknown type'})`);
  const bitmap = await createImageBitmap(file);
  const ratio = bitmap.width / bitmap.height;
  const width = Math.max(1, Math.round(ratio >= 1 ? longSide : longSide * ratio));
  const height = Math.max(1, Math.round(ratio >= 1 ? longSide / ratio : longSide));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this window cannot decode images');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const pixels = context.getImageData(0, 0, width, height).data;
  return colour === 'rgb' ? toRgb(pixels, height, width) : toGrayscale(pixels, height, width);
}
