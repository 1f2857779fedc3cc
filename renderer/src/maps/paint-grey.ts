/** Paints a block of numbers as grey pixels, min → black and max → white, at (x, y) in an ImageData. */
export function paintGrey(image: ImageData, values: ArrayLike<number>, offset: number, w: number, h: number, x0: number, y0: number, min: number, max: number): void {
  const span = max - min || 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = Math.round((255 * (values[offset + y * w + x] - min)) / span);
      const at = 4 * ((y0 + y) * image.width + x0 + x);
      image.data[at] = image.data[at + 1] = image.data[at + 2] = v;
      image.data[at + 3] = 255;
    }
  }
}

/** The smallest and largest of `count` values from `offset`. */
export function rangeOf(values: ArrayLike<number>, offset = 0, count = values.length - offset): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + count; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return [min, max];
}
