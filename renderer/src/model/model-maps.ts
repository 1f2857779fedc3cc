/** The page-side arithmetic of a model's maps: a node's output as channel planes, the input as one plane, the probe's heat. */
import type { ModelInputLayout } from './preprocess';

/** A node's output as channels of height × width maps: [N, C, H, W] as it is, a vector [N, F] as one row of F. */
export function mapDims(shape: readonly number[]): { channels: number; height: number; width: number; vector: boolean } {
  if (shape.length >= 4) return { channels: shape[1], height: shape[2], width: shape.slice(3).reduce((a, b) => a * b, 1), vector: false };
  if (shape.length === 3) return { channels: shape[1], height: 1, width: shape[2], vector: false };
  const features = shape.slice(1).reduce((a, b) => a * b, 1);
  return { channels: 1, height: 1, width: Math.max(1, features), vector: true };
}

/** The mean over channels at each pixel of an input laid out as `layout` (channels first or last): one plane to draw. */
export function inputPlane(data: Float32Array, layout: ModelInputLayout, abs = false): Float32Array {
  const { channels, height, width, channelsLast } = layout;
  const size = height * width;
  const out = new Float32Array(size);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < size; i++) {
      const v = data[channelsLast ? i * channels + c : c * size + i];
      out[i] += (abs ? Math.abs(v) : v) / channels;
    }
  }
  return out;
}

/** The probe's heat on the input: |d unit / d input| summed over channels (the effective receptive field). */
export const gradientHeat = (gradient: Float32Array, layout: ModelInputLayout): Float32Array => inputPlane(gradient, layout, true);
