/**
 * What a PNG or JPEG says about itself in its first bytes (format, size, pixel kind), read before anything is
 * decoded, so a 20,000×20,000 image, a 0×0 one or a colour model the decoders cannot turn into RGB is refused by
 * its header instead of filling memory or the screen with garbage.
 */

/** The largest side and the most pixels an image of a folder dataset may have (a 12-megapixel photo fits). */
export const MAX_IMAGE_SIDE = 8192;
export const MAX_IMAGE_PIXELS = 40_000_000;

export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

/** A file the folder reader skips: `reason` names the rule, shown beside the file's name. */
export class ImageRefusal extends Error {}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function pngHeader(b: Uint8Array): ImageHeader {
  if (b.length < 33 || u32(b, 12) !== 0x49484452) throw new ImageRefusal('a PNG without its IHDR header (truncated)');
  const width = u32(b, 16), height = u32(b, 20), depth = b[24], colourType = b[25];
  // Every bit depth and colour type of the PNG standard decodes (16 bits scaled to 8, palettes expanded).
  const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
  if (!allowed[colourType]?.includes(depth)) throw new ImageRefusal(`a PNG of colour type ${colourType} at ${depth} bits, which the PNG standard does not define`);
  return { format: 'png', width, height };
}

/** Start-of-frame markers (baseline, progressive, lossless…); C4, C8 and CC are other segments. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(b: Uint8Array): ImageHeader {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) throw new ImageRefusal(`a JPEG whose segment at byte ${at} does not start with 0xFF (damaged)`);
    const marker = b[at + 1];
    if (marker === 0xff) { at++; continue; }
    if (marker === 0xd9 || marker === 0xda) break;
    const length = u16(b, at + 2);
    if (isStartOfFrame(marker)) {
      if (at + 10 > b.length) break;
      const height = u16(b, at + 5), width = u16(b, at + 7), components = b[at + 9];
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) {
        throw new ImageRefusal(`a JPEG of a kind the decoder does not read (lossless, hierarchical or arithmetic-coded, marker 0x${marker.toString(16)})`);
      }
      if (components === 4) throw new ImageRefusal('a CMYK JPEG (4 colour components): save it as RGB');
      if (components !== 1 && components !== 3) throw new ImageRefusal(`a JPEG of ${components} colour components (only grey and RGB are read)`);
      return { format: 'jpeg', width, height };
    }
    at += 2 + length;
  }
  throw new ImageRefusal('a JPEG without its frame header (truncated)');
}

/** The header of a PNG or JPEG file's bytes; throws an ImageRefusal naming why the file cannot be read. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new ImageRefusal('an empty file');
  let header: ImageHeader;
  if (PNG_SIGNATURE.every((v, i) => bytes[i] === v)) header = pngHeader(bytes);
  else if (bytes[0] === 0xff && bytes[1] === 0xd8) header = jpegHeader(bytes);
  else throw new ImageRefusal('not a PNG or JPEG image (its first bytes are neither signature)');
  const { width, height } = header;
  if (width === 0 || height === 0) throw new ImageRefusal(`an image of ${width}×${height} pixels, which has no pixels`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageRefusal(`an image of ${width}×${height} pixels, above the limit of ${MAX_IMAGE_SIDE} a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
  }
  return header;
}
