/** A lab layer's true convolution written for a framework that cross-correlates (ONNX's Conv, PyTorch's Conv2d). */

/** An OIHW kernel flipped in both spatial axes. */
export function flipKernel(data: Float32Array, shape: readonly number[]): Float32Array {
  const [o, i, kh, kw] = shape;
  const out = new Float32Array(data.length);
  for (let p = 0; p < o * i; p++) {
    for (let y = 0; y < kh; y++) for (let z = 0; z < kw; z++) out[(p * kh + y) * kw + z] = data[(p * kh + kh - 1 - y) * kw + kw - 1 - z];
  }
  return out;
}
