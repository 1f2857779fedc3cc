/**
 * Fits a decoded image to the network's input: the whole image stretched to size×size (Keras's
 * image_dataset_from_directory), or its centred square cropped and scaled (torchvision's Resize + CenterCrop),
 * then grey (ITU-R 601 luma, as PIL's convert('L')) or RGB, written channel-planar (CHW) as the engine reads it.
 * Shrinking averages every source pixel a target pixel covers (area), so a photo's detail is not aliased away;
 * enlarging interpolates bilinearly between pixel centres.
 */
import type { DecodedImage } from './image-decode';

export type ImageFit = 'resize' | 'crop';
export type ImageColour = 'grey' | 'rgb';

export interface FitSettings {
  size: number;
  colour: ImageColour;
  fit: ImageFit;
}

/** Each target index's source taps along one axis: `first` source index, then one weight per tap, summing to 1. */
interface Taps { first: Int32Array; count: Int32Array; weights: Float32Array; stride: number }

function axisTaps(start: number, length: number, sourceSize: number, target: number): Taps {
  const scale = length / target;
  const stride = Math.ceil(scale) + 2;
  const taps: Taps = { first: new Int32Array(target), count: new Int32Array(target), weights: new Float32Array(target * stride), stride };
  for (let t = 0; t < target; t++) {
    if (scale > 1) {
      const from = start + t * scale, to = from + scale;
      const first = Math.floor(from), last = Math.min(Math.ceil(to), sourceSize);
      taps.first[t] = first;
      taps.count[t] = last - first;
      for (let s = first; s < last; s++) taps.weights[t * stride + s - first] = (Math.min(to, s + 1) - Math.max(from, s)) / scale;
    } else {
      const f = Math.min(Math.max(start + (t + 0.5) * scale - 0.5, 0), sourceSize - 1);
      const s0 = Math.floor(f), s1 = Math.min(s0 + 1, sourceSize - 1), w = f - s0;
      taps.first[t] = s0;
      taps.count[t] = s1 === s0 ? 1 : 2;
      taps.weights[t * stride] = s1 === s0 ? 1 : 1 - w;
      taps.weights[t * stride + 1] = s1 === s0 ? 0 : w;
    }
  }
  return taps;
}

/** Writes plane `c` of the image into `out` from `at`: R, G, B, or their luma for grey (c = -1), rounded in bytes. */
function writePlane(image: DecodedImage, c: number, out: Uint8Array | Float32Array, at: number): void {
  const n = image.width * image.height, rgb = image.rgb;
  if (c >= 0) for (let p = 0; p < n; p++) out[at + p] = rgb[p * 3 + c];
  else for (let p = 0; p < n; p++) out[at + p] = Math.round((rgb[p * 3] * 299 + rgb[p * 3 + 1] * 587 + rgb[p * 3 + 2] * 114) / 1000);
}

/** The taps of the last few axes: a folder's images mostly share a size, and so their taps. */
const knownTaps = new Map<string, Taps>();

function tapsFor(start: number, length: number, sourceSize: number, target: number): Taps {
  const key = `${start}:${length}:${sourceSize}:${target}`;
  let taps = knownTaps.get(key);
  if (!taps) {
    if (knownTaps.size >= 64) knownTaps.clear();
    taps = axisTaps(start, length, sourceSize, target);
    knownTaps.set(key, taps);
  }
  return taps;
}

/** Writes the fitted image (channels × size × size bytes) into `out` from `at`. */
export function fitImage(image: DecodedImage, settings: FitSettings, out: Uint8Array, at: number): void {
  const { width, height } = image, size = settings.size;
  const channels = settings.colour === 'grey' ? [-1] : [0, 1, 2];
  if (width === size && height === size) {
    // Already the network's size (Fashion-MNIST's 28×28): no resampling, only the planes.
    for (const [k, c] of channels.entries()) writePlane(image, c, out, at + k * size * size);
    return;
  }
  const side = Math.min(width, height);
  const [x0, y0, w, h] = settings.fit === 'crop' ? [(width - side) / 2, (height - side) / 2, side, side] : [0, 0, width, height];
  const xs = tapsFor(x0, w, width, size), ys = tapsFor(y0, h, height, size);
  const rows = new Float32Array(height * size);
  const src = new Float32Array(width * height);
  for (const [k, c] of channels.entries()) {
    writePlane(image, c, src, 0);
    // Horizontal pass over every source row, then the vertical pass: separable, so taps are paid once per axis.
    for (let y = 0; y < height; y++) {
      for (let t = 0; t < size; t++) {
        let sum = 0;
        const first = xs.first[t], base = y * width + first;
        for (let i = 0; i < xs.count[t]; i++) sum += src[base + i] * xs.weights[t * xs.stride + i];
        rows[y * size + t] = sum;
      }
    }
    const dst = at + k * size * size;
    for (let t = 0; t < size; t++) {
      const first = ys.first[t];
      for (let x = 0; x < size; x++) {
        let sum = 0;
        for (let i = 0; i < ys.count[t]; i++) sum += rows[(first + i) * size + x] * ys.weights[t * ys.stride + i];
        out[dst + t * size + x] = Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }
}

/** Bytes one fitted image takes. */
export function fittedBytes(settings: FitSettings): number {
  return (settings.colour === 'grey' ? 1 : 3) * settings.size * settings.size;
}
