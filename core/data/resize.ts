/**
 * Bilinear resizing of a batch of one-channel images, as the book's `Resize` transform enlarges Fashion-MNIST
 * (28×28) for networks that cannot read it at its own size (NiN needs at least 67×67). Pixel centres are aligned
 * (half-pixel offsets), edges clamped.
 */
export function resizeBilinear(src: Float32Array, count: number, side: number, target: number, out: Float32Array): Float32Array {
  const scale = side / target;
  const plane = side * side, outPlane = target * target;
  for (let n = 0; n < count; n++) {
    const s = n * plane, o = n * outPlane;
    for (let y = 0; y < target; y++) {
      const fy = Math.min(Math.max((y + 0.5) * scale - 0.5, 0), side - 1);
      const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, side - 1), wy = fy - y0;
      for (let x = 0; x < target; x++) {
        const fx = Math.min(Math.max((x + 0.5) * scale - 0.5, 0), side - 1);
        const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, side - 1), wx = fx - x0;
        const top = src[s + y0 * side + x0] * (1 - wx) + src[s + y0 * side + x1] * wx;
        const bottom = src[s + y1 * side + x0] * (1 - wx) + src[s + y1 * side + x1] * wx;
        out[o + y * target + x] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}
