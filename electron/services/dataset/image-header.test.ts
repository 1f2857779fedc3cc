import { describe, expect, it } from 'vitest';
import { ImageRefusal, readImageHeader } from './image-header';
import { encodePng } from './png-write';

const refusal = (bytes: Uint8Array) => {
  try {
    readImageHeader(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ImageRefusal);
    return (error as Error).message;
  }
  return 'read';
};

describe('reading an image header before decoding', () => {
  it('reads a PNG of every colour type and a JPEG frame header', () => {
    const png = encodePng({ width: 3, height: 2, colourType: 3, depth: 8, data: new Uint8Array(6), palette: new Uint8Array(3) });
    expect(readImageHeader(png)).toEqual({ format: 'png', width: 3, height: 2 });
    // SOI, an APP0 segment of 4 bytes, then a baseline frame of 7×5 with three components.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0, 5, 0, 7, 3]);
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 7, height: 5 });
  });

  it('refuses, naming the rule: no signature, no pixels, too many, CMYK, lossless JPEG, an undefined PNG kind', () => {
    expect(refusal(new Uint8Array(0))).toBe('an empty file');
    expect(refusal(Uint8Array.from([1, 2, 3]))).toBe('not a PNG or JPEG image (its first bytes are neither signature)');
    const frame = (marker: number, w: number, h: number, components: number) => Uint8Array.from([0xff, 0xd8, 0xff, marker, 0, 17, 8, h >> 8, h & 255, w >> 8, w & 255, components]);
    expect(refusal(frame(0xc0, 20_000, 20_000, 3))).toBe('an image of 20000×20000 pixels, above the limit of 8192 a side and 40 megapixels');
    expect(refusal(frame(0xc0, 0, 0, 3))).toBe('an image of 0×0 pixels, which has no pixels');
    expect(refusal(frame(0xc2, 8, 8, 4))).toBe('a CMYK JPEG (4 colour components): save it as RGB');
    expect(refusal(frame(0xc3, 8, 8, 1))).toMatch(/^a JPEG of a kind the decoder does not read \(lossless/);
    expect(refusal(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4]))).toBe('a JPEG without its frame header (truncated)');
    const png = encodePng({ width: 1, height: 1, colourType: 2, depth: 8, data: new Uint8Array(3) });
    png[24] = 4;
    expect(refusal(png)).toBe('a PNG of colour type 2 at 4 bits, which the PNG standard does not define');
    expect(refusal(png.subarray(0, 20))).toBe('a PNG without its IHDR header (truncated)');
  });
});
