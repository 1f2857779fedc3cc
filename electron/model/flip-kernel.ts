/** A lab layer's true convolution written for a framework that cross-correlates (ONNX's Conv, PyTorch's Conv2d). */
import { rotate180 } from '../../core/ops/conv2d';

/** An OIHW kernel flipped in both spatial axes: core's own rotation, on a copy. */
export function flipKernel(data: Float32Array, shape: readonly number[]): Float32Array {
  const [o, i, kh, kw] = shape;
  return rotate180(data, o * i, kh, kw);
}
