/**
 * A PNG or JPEG as a model's input, with the app's preprocessing: colour order (grey, RGB or BGR), the shorter side
 * resized to N (bilinear), a centred N×N crop, then (value/255 − mean)/std per channel, as an NCHW tensor of batch 1.
 */
import { decodeImage } from '../services/dataset/image-decode';
import { ConvLabError } from '../../core/errors';
import type { Tensor } from '../../core/tensor';

export interface Preprocessing {
  colour: 'grey' | 'rgb' | 'bgr';
  resize?: number;
  crop?: number;
  mean: number[];
  std: number[];
}

/** An RGB image of floats 0…255, row-major, three values a pixel. */
interface Rgb {
  width: number;
  height: number;
  data: Float32Array;
}

/** The pixels as floats 0…255, decoded as the image-folder datasets decode them (pngjs, jpeg-js: image-decode.ts). */
function decode(bytes: Uint8Array, name: string): Rgb {
  let image;
  try {
    image = decodeImage(bytes);
  } catch (error) {
    throw new ConvLabError('format', `${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { width: image.width, height: image.height, data: Float32Array.from(image.rgb) };
}

/** `img` resized to `w`×`h`, bilinear with half-pixel centres. */
function resize(img: Rgb, w: number, h: number): Rgb {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.max(0, ((y + 0.5) * img.height) / h - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(img.height - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.max(0, ((x + 0.5) * img.width) / w - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(img.width - 1, x0 + 1), fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c];
        out[(y * w + x) * 3 + c] = (at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy;
      }
    }
  }
  return { width: w, height: h, data: out };
}

function crop(img: Rgb, n: number): Rgb {
  if (n > img.width || n > img.height) throw new ConvLabError('range', `--crop ${n} is larger than the ${img.width}×${img.height} image`);
  const top = Math.floor((img.height - n) / 2), left = Math.floor((img.width - n) / 2);
  const out = new Float32Array(n * n * 3);
  for (let y = 0; y < n; y++) out.set(img.data.subarray(((top + y) * img.width + left) * 3, ((top + y) * img.width + left + n) * 3), y * n * 3);
  return { width: n, height: n, data: out };
}

/** The image in `bytes` (named `name` in errors) as a 1×C×H×W tensor after `p`. */
export function imageInput(bytes: Uint8Array, name: string, p: Preprocessing): Tensor {
  let img = decode(bytes, name);
  if (p.resize !== undefined) {
    const scale = p.resize / Math.min(img.width, img.height);
    img = resize(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)));
  }
  if (p.crop !== undefined) img = crop(img, p.crop);
  const channels = p.colour === 'grey' ? 1 : 3;
  for (const [what, v] of [['--mean', p.mean], ['--std', p.std]] as const) {
    if (v.length !== 1 && v.length !== channels) throw new ConvLabError('range', `${what} needs 1 or ${channels} values for ${p.colour}, got ${v.length}`);
  }
  const plane = img.width * img.height;
  const data = new Float32Array(channels * plane);
  const order = p.colour === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < channels; c++) {
      const v = p.colour === 'grey'
        ? (0.299 * img.data[i * 3] + 0.587 * img.data[i * 3 + 1] + 0.114 * img.data[i * 3 + 2]) / 255
        : img.data[i * 3 + order[c]] / 255;
      data[c * plane + i] = (v - p.mean[p.mean.length === 1 ? 0 : c]) / p.std[p.std.length === 1 ? 0 : c];
    }
  }
  return { shape: [1, channels, img.height, img.width], data };
}
