import { describe, expect, it } from 'vitest';
import { fitImage, fittedBytes } from './image-fit';
import type { DecodedImage } from './image-decode';

/** A grey image (R = G = B) from rows of values. */
function greyImage(rows: number[][]): DecodedImage {
  const height = rows.length, width = rows[0].length;
  return { width, height, rgb: Uint8Array.from(rows.flat().flatMap((v) => [v, v, v])) };
}

function fit(image: DecodedImage, size: number, fitMode: 'resize' | 'crop' = 'resize', colour: 'grey' | 'rgb' = 'grey'): number[] {
  const out = new Uint8Array(fittedBytes({ size, colour, fit: fitMode }));
  fitImage(image, { size, colour, fit: fitMode }, out, 0);
  return Array.from(out);
}

describe('fitting an image to the network input', () => {
  it('shrinks by averaging the pixels each target pixel covers (area)', () => {
    const image = greyImage([[0, 4, 8, 12], [4, 8, 12, 16], [100, 100, 0, 0], [100, 100, 0, 0]]);
    expect(fit(image, 2)).toEqual([4, 12, 100, 0]);
    // 3 → 2: each target pixel covers one and a half source pixels.
    expect(fit(greyImage([[0, 30, 90], [0, 30, 90], [0, 30, 90]]), 2)).toEqual([10, 70, 10, 70]);
  });

  it('enlarges bilinearly between pixel centres, edges clamped', () => {
    expect(fit(greyImage([[0, 100], [0, 100]]), 4)).toEqual([0, 25, 75, 100, 0, 25, 75, 100, 0, 25, 75, 100, 0, 25, 75, 100]);
  });

  it('crops the centred square before scaling, or stretches the whole image', () => {
    const wide = greyImage([[9, 1, 2, 9], [9, 3, 4, 9]]);
    expect(fit(wide, 2, 'crop')).toEqual([1, 2, 3, 4]);
    expect(fit(wide, 2, 'resize')).toEqual([5, 6, 6, 7]);
  });

  it('writes RGB as three planes, and grey as the ITU-R 601 luma of RGB', () => {
    const red: DecodedImage = { width: 1, height: 1, rgb: Uint8Array.from([255, 0, 0]) };
    expect(fit(red, 1, 'resize', 'rgb')).toEqual([255, 0, 0]);
    expect(fit(red, 1)).toEqual([76]);
  });
});
