/**
 * An image as an opened model wants it: its colour order (grey, RGB or BGR), its size (resized whole, or the shorter
 * side resized and the centre cropped, as torchvision's transforms do), then (value − mean) / std per channel.
 */
import type { InputImage } from '../document/document';
import type { ModelPreprocessing } from '../../../electron/contract/model-preprocessing';

/** Where the model's input takes its channels and size from: NCHW, or NHWC when the last axis is the channel axis. */
export interface ModelInputLayout {
  channels: number;
  height: number;
  width: number;
  /** The channel axis last (Keras and TensorFlow exports). */
  channelsLast: boolean;
}

/** Reads a model input's layout from its shape ([N, C, H, W] or [N, H, W, C] with C in 1…4), or null for other ranks. */
export function inputLayout(shape: number[]): ModelInputLayout | null {
  if (shape.length !== 4) return null;
  const [, a, b, c] = shape;
  const channelsLast = a > 4 && c <= 4;
  return channelsLast ? { channels: c, height: a, width: b, channelsLast } : { channels: a, height: b, width: c, channelsLast };
}

/** Bilinear sample of channel `ch` of `image` at (y, x) in source pixels, edges clamped. */
function sample(image: InputImage, ch: number, y: number, x: number): number {
  const { height: h, width: w } = image;
  const sy = Math.min(h - 1, Math.max(0, y)), sx = Math.min(w - 1, Math.max(0, x));
  const y0 = Math.floor(sy), x0 = Math.floor(sx);
  const y1 = Math.min(h - 1, y0 + 1), x1 = Math.min(w - 1, x0 + 1);
  const fy = sy - y0, fx = sx - x0;
  const base = ch * h * w;
  const top = image.data[base + y0 * w + x0] * (1 - fx) + image.data[base + y0 * w + x1] * fx;
  const bottom = image.data[base + y1 * w + x0] * (1 - fx) + image.data[base + y1 * w + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/** The source channel read for output channel `c`: grey is luma of RGB, BGR reverses the three. */
function channelValue(image: InputImage, prep: ModelPreprocessing, c: number, y: number, x: number): number {
  const rgb = image.channels >= 3;
  if (prep.colour === 'grey' || !rgb) {
    if (!rgb) return sample(image, 0, y, x);
    return 0.299 * sample(image, 0, y, x) + 0.587 * sample(image, 1, y, x) + 0.114 * sample(image, 2, y, x);
  }
  return sample(image, prep.colour === 'bgr' ? 2 - Math.min(c, 2) : Math.min(c, 2), y, x);
}

/**
 * The model's input tensor (batch 1) for `image` (values 0…1, grey or RGB): colour, size, scale (0…1 or 0…255), then
 * mean and std per channel (a grey model reads the first mean and std).
 */
export function preprocess(image: InputImage, layout: ModelInputLayout, prep: ModelPreprocessing): Float32Array {
  const { channels, height, width, channelsLast } = layout;
  // Resize maps the whole image onto the input; crop scales the shorter side to fit and keeps the centre.
  const sy = prep.fit === 'resize' ? image.height / height : Math.min(image.height / height, image.width / width);
  const sx = prep.fit === 'resize' ? image.width / width : sy;
  const oy = (image.height - height * sy) / 2, ox = (image.width - width * sx) / 2;
  const out = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    const mean = prep.mean[Math.min(c, prep.mean.length - 1)], std = prep.std[Math.min(c, prep.std.length - 1)];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const value = channelValue(image, prep, c, oy + (y + 0.5) * sy - 0.5, ox + (x + 0.5) * sx - 0.5) * prep.range;
        const at = channelsLast ? (y * width + x) * channels + c : (c * height + y) * width + x;
        out[at] = (value - mean) / std;
      }
    }
  }
  return out;
}

/** Class names from a text file: one a line, blank trailing lines dropped, at most `limit` kept. */
export function parseClassNames(text: string, limit = 100_000): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(0, limit);
}
