/**
 * The lab document: the input image and the layer stack, as the user edits them. Treated as immutable: every edit
 * makes a new document that shares what did not change, so undo keeps whole snapshots cheaply.
 */
import type { LayerSpec, MapData, Pair } from '../../../electron/contract/contract';
import type { TrainingDoc } from '../training/training-doc';
import type { SavedNet } from '../../../electron/contract/lab-file-v3';

export interface InputImage {
  /** 1 for a grey image, 3 for RGB, or as many as a scene needs (section 5.3). */
  channels: number;
  height: number;
  width: number;
  /** CHW, row-major: channel after channel. */
  data: Float32Array;
}

export interface ConvLayer {
  id: string;
  kind: 'conv';
  outChannels: number;
  inChannels: number;
  kernelSize: Pair;
  /** OIHW. */
  weight: Float32Array;
  bias: Float32Array;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  flip: boolean;
}
export interface PoolLayer {
  id: string;
  kind: 'pool';
  mode: 'max' | 'avg';
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  countIncludePad: boolean;
}
export interface ActLayer {
  id: string;
  kind: 'act';
  fn: 'relu' | 'sigmoid' | 'tanh';
}
export type Layer = ConvLayer | PoolLayer | ActLayer;

export interface LabDocument {
  input: InputImage;
  layers: Layer[];
  training: TrainingDoc;
  /** A trained network kept with the lab (lab file version 3): its settings, weights and history. */
  net?: SavedNet;
}

let idCounter = 0;
export const newLayerId = (): string => `layer-${Date.now().toString(36)}-${(idCounter++).toString(36)}`;

export function makeImage(height: number, width: number, fill = 0, channels = 1): InputImage {
  return { channels, height, width, data: new Float32Array(channels * height * width).fill(fill) };
}

export function imageFromRows(rows: readonly (readonly number[])[]): InputImage {
  return imageFromPlanes([rows]);
}

/** An image of several channels, one list of rows each (the book's X of shape (c, h, w)). */
export function imageFromPlanes(planes: readonly (readonly (readonly number[])[])[]): InputImage {
  const height = planes[0]?.length ?? 0;
  const width = planes[0]?.[0]?.length ?? 0;
  return { channels: planes.length, height, width, data: Float32Array.from(planes.flat(2)) };
}

/** One channel of the input, as a view (no copy). */
export function inputChannel(input: InputImage, c: number): Float32Array {
  const size = input.height * input.width;
  return input.data.subarray(c * size, (c + 1) * size);
}

/** A convolution whose every (output, input) kernel is `kernel`, as the book's single-channel layers are. */
export function makeConv(kernel: readonly (readonly number[])[], options: Partial<ConvLayer> = {}): ConvLayer {
  const kh = kernel.length;
  const kw = kernel[0]?.length ?? 1;
  const outChannels = options.outChannels ?? 1;
  const inChannels = options.inChannels ?? 1;
  const flat = kernel.flat();
  const weight = new Float32Array(outChannels * inChannels * kh * kw);
  for (let k = 0; k < outChannels * inChannels; k++) weight.set(flat, k * kh * kw);
  return {
    id: newLayerId(),
    kind: 'conv',
    outChannels,
    inChannels,
    kernelSize: [kh, kw],
    weight,
    bias: new Float32Array(outChannels),
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    flip: false,
    ...options,
  };
}

export function makePool(mode: 'max' | 'avg'): PoolLayer {
  return { id: newLayerId(), kind: 'pool', mode, kernel: [2, 2], stride: [2, 2], padding: [0, 0], countIncludePad: true };
}

export function makeActivation(fn: ActLayer['fn']): ActLayer {
  return { id: newLayerId(), kind: 'act', fn };
}

/** Resizes a conv layer's weights to new channel counts or kernel size, keeping every cell that still exists. */
export function reshapeConv(layer: ConvLayer, outChannels: number, inChannels: number, kernelSize: Pair): ConvLayer {
  const [kh, kw] = kernelSize;
  const [oldKh, oldKw] = layer.kernelSize;
  const weight = new Float32Array(outChannels * inChannels * kh * kw);
  for (let o = 0; o < outChannels; o++) {
    for (let i = 0; i < inChannels; i++) {
      // New channels start as copies of channel 0's kernel, so a widened layer shows something at once.
      const so = o < layer.outChannels ? o : 0;
      const si = i < layer.inChannels ? i : 0;
      for (let y = 0; y < Math.min(kh, oldKh); y++) {
        for (let x = 0; x < Math.min(kw, oldKw); x++) {
          weight[((o * inChannels + i) * kh + y) * kw + x] = layer.weight[((so * layer.inChannels + si) * oldKh + y) * oldKw + x];
        }
      }
    }
  }
  const bias = new Float32Array(outChannels);
  bias.set(layer.bias.subarray(0, Math.min(outChannels, layer.bias.length)));
  return { ...layer, outChannels, inChannels, kernelSize: [kh, kw], weight, bias };
}

/** Keeps each convolution's input channels equal to what the layer before it (or the input) produces. */
export function fitChannels(layers: readonly Layer[], inputChannels: number): Layer[] {
  const out: Layer[] = [];
  let channels = inputChannels;
  for (const layer of layers) {
    if (layer.kind === 'conv') {
      out.push(layer.inChannels === channels ? layer : reshapeConv(layer, layer.outChannels, channels, layer.kernelSize));
      channels = layer.outChannels;
    } else {
      out.push(layer);
    }
  }
  return out;
}

export function inputMap(input: InputImage): MapData {
  return { shape: [1, input.channels, input.height, input.width], data: input.data };
}

export function toLayerSpec(layer: Layer): LayerSpec {
  switch (layer.kind) {
    case 'conv':
      return {
        type: 'conv2d',
        inChannels: layer.inChannels,
        outChannels: layer.outChannels,
        kernel: layer.kernelSize,
        weight: { shape: [layer.outChannels, layer.inChannels, layer.kernelSize[0], layer.kernelSize[1]], data: layer.weight },
        bias: layer.bias,
        stride: layer.stride,
        padding: layer.padding,
        dilation: layer.dilation,
        flip: layer.flip,
      };
    case 'pool':
      return layer.mode === 'max'
        ? { type: 'maxpool', kernel: layer.kernel, stride: layer.stride, padding: layer.padding }
        : { type: 'avgpool', kernel: layer.kernel, stride: layer.stride, padding: layer.padding, countIncludePad: layer.countIncludePad };
    case 'act':
      return { type: layer.fn };
  }
}

/**
 * The editor's layer for a layer of the table's kinds (as the engine and lab files name them), with a fresh id; its
 * tensors are kept, not copied. A max pooling counts padded cells by default, should it be switched to average.
 */
export function fromLayerSpec(spec: LayerSpec): Layer {
  const id = newLayerId();
  if ('weight' in spec) {
    const { type: _type, kernel, weight, ...rest } = spec;
    return { id, kind: 'conv', ...rest, kernelSize: kernel, weight: weight.data };
  }
  if (spec.type === 'maxpool' || spec.type === 'avgpool') {
    const mode = spec.type === 'maxpool' ? 'max' : 'avg';
    return { id, kind: 'pool', mode, kernel: spec.kernel, stride: spec.stride, padding: spec.padding, countIncludePad: 'countIncludePad' in spec ? spec.countIncludePad : true };
  }
  return { id, kind: 'act', fn: spec.type };
}

/** One (output, input) kernel of a conv layer as rows, for the editor. */
export function kernelSlice(layer: ConvLayer, o: number, i: number): Float32Array {
  const size = layer.kernelSize[0] * layer.kernelSize[1];
  const start = (o * layer.inChannels + i) * size;
  return layer.weight.subarray(start, start + size);
}

/** The kernel rotated by 180°: what convolution slides (section 5.1.5). */
export function flipKernel(kernel: Float32Array, kh: number, kw: number): Float32Array {
  const flipped = new Float32Array(kh * kw);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) flipped[y * kw + x] = kernel[(kh - 1 - y) * kw + (kw - 1 - x)];
  return flipped;
}
