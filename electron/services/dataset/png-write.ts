/**
 * A minimal PNG writer (no filtering, one IDAT chunk), for writing datasets out as image folders and for making
 * test images of every PNG kind (grey, RGB, palette, 16-bit). Node's zlib deflates and checksums.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface PngImage {
  width: number;
  height: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA (the PNG standard's colour types). */
  colourType: 0 | 2 | 3 | 4 | 6;
  /** 8, or 16 (two bytes a sample, big-endian) for grey, RGB and their alpha forms; 8 for a palette. */
  depth: 8 | 16;
  /** Samples row by row, without filter bytes. */
  data: Uint8Array;
  /** RGB triples, for colour type 3. */
  palette?: Uint8Array;
}

const SAMPLES: Record<PngImage['colourType'], number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** The PNG file of `image`. */
export function encodePng(image: PngImage): Buffer {
  const { width, height, colourType, depth, data } = image;
  const rowBytes = width * SAMPLES[colourType] * (depth / 8);
  if (data.length !== rowBytes * height) throw new Error(`PNG data holds ${data.length} bytes, but ${width}×${height} at colour type ${colourType} and ${depth} bits needs ${rowBytes * height}`);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (colourType === 3) parts.push(chunk('PLTE', image.palette ?? new Uint8Array(0)));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}
