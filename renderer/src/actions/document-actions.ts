/** Every edit a user can make to the lab document, one action each. */
import type { Pair } from '../../../electron/contract/contract';
import { LIMITS } from '../../../electron/contract/core-exports';
import {
  fitChannels,
  inputChannel,
  makeActivation,
  makeConv,
  makeImage,
  makePool,
  reshapeConv,
  type ActLayer,
  type ConvLayer,
  type InputImage,
  type LabDocument,
  type Layer,
  type PoolLayer,
} from '../document/document';
import { defineAction } from './action';

const withLayer = (doc: LabDocument, id: string, change: (layer: Layer) => Layer): LabDocument => ({
  ...doc,
  layers: fitChannels(doc.layers.map((layer) => (layer.id === id ? change(layer) : layer)), doc.input.channels),
});

/** Paints cells of one input channel; a stroke is many of these inside one gesture, so it is undone as one. */
export const paintCells = defineAction<{ cells: { y: number; x: number }[]; value: number; channel?: number; capture?: boolean }>(
  'paintCells',
  (doc, { cells, value, channel = 0, capture = false }) => {
    const data = new Float32Array(doc.input.data);
    const { width, height } = doc.input;
    const offset = Math.min(channel, doc.input.channels - 1) * height * width;
    for (const { y, x } of cells) if (y >= 0 && y < height && x >= 0 && x < width) data[offset + y * width + x] = value;
    return { doc: { ...doc, input: { ...doc.input, data } }, capture };
  },
);

export const setInputCell = defineAction<{ y: number; x: number; value: number; channel?: number }>('setInputCell', (doc, cell) => ({
  doc: paintCells.perform(doc, { cells: [cell], value: cell.value, channel: cell.channel }).doc,
  capture: true,
}));

/** Fills one channel (the one being edited) and leaves the others as they are. */
export const fillInput = defineAction<{ value: number; channel?: number }>('fillInput', (doc, { value, channel = 0 }) => {
  const data = new Float32Array(doc.input.data);
  const size = doc.input.height * doc.input.width;
  const c = Math.min(channel, doc.input.channels - 1);
  data.fill(value, c * size, (c + 1) * size);
  return { doc: { ...doc, input: { ...doc.input, data } }, capture: true };
});

/** Resizing keeps what was drawn: the overlap is copied in every channel, new cells start at 0. */
export const resizeInput = defineAction<{ height: number; width: number }>('resizeInput', (doc, { height, width }) => {
  const { channels } = doc.input;
  const image = makeImage(height, width, 0, channels);
  for (let c = 0; c < channels; c++) {
    const from = inputChannel(doc.input, c), to = inputChannel(image, c);
    for (let y = 0; y < Math.min(height, doc.input.height); y++) {
      for (let x = 0; x < Math.min(width, doc.input.width); x++) to[y * width + x] = from[y * doc.input.width + x];
    }
  }
  return { doc: { ...doc, input: image }, capture: true };
});

/** A new input (an imported image, a preset): the first convolution is refitted to its channel count. */
export const replaceInput = defineAction<{ image: InputImage }>('replaceInput', (doc, { image }) => ({
  doc: { ...doc, input: image, layers: fitChannels(doc.layers, image.channels) },
  capture: true,
}));

/** Sets how many channels the input has: kept channels keep their drawing, new ones start as copies of channel 1. */
export const setInputChannels = defineAction<{ channels: number }>('setInputChannels', (doc, { channels }) => {
  const n = Math.max(1, Math.min(LIMITS.maxChannels, Math.round(channels)));
  if (n === doc.input.channels) return { doc, capture: false };
  const image = makeImage(doc.input.height, doc.input.width, 0, n);
  for (let c = 0; c < n; c++) inputChannel(image, c).set(inputChannel(doc.input, c < doc.input.channels ? c : 0));
  return { doc: { ...doc, input: image, layers: fitChannels(doc.layers, n) }, capture: true };
});

export const setKernelCell = defineAction<{ layerId: string; index: number; value: number }>(
  'setKernelCell',
  (doc, { layerId, index, value }) => ({
    doc: withLayer(doc, layerId, (layer) => {
      if (layer.kind !== 'conv') return layer;
      const weight = new Float32Array(layer.weight);
      weight[index] = value;
      return { ...layer, weight };
    }),
    capture: true,
  }),
);

/** Applies a kernel to one (output, input) pair, resizing the layer's kernel to fit it. */
export const applyKernel = defineAction<{ layerId: string; kernel: number[][]; o: number; i: number; everywhere: boolean }>(
  'applyKernel',
  (doc, { layerId, kernel, o, i, everywhere }) => ({
    doc: withLayer(doc, layerId, (layer) => {
      if (layer.kind !== 'conv') return layer;
      const size: Pair = [kernel.length, kernel[0].length];
      const shaped = reshapeConv(layer, layer.outChannels, layer.inChannels, size);
      const flat = kernel.flat();
      const area = size[0] * size[1];
      for (let oo = 0; oo < shaped.outChannels; oo++) {
        for (let ii = 0; ii < shaped.inChannels; ii++) {
          if (everywhere || (oo === o && ii === i)) shaped.weight.set(flat, (oo * shaped.inChannels + ii) * area);
        }
      }
      return shaped;
    }),
    capture: true,
  }),
);

export const setBias = defineAction<{ layerId: string; channel: number; value: number }>(
  'setBias',
  (doc, { layerId, channel, value }) => ({
    doc: withLayer(doc, layerId, (layer) => {
      if (layer.kind !== 'conv') return layer;
      const bias = new Float32Array(layer.bias);
      bias[channel] = value;
      return { ...layer, bias };
    }),
    capture: true,
  }),
);

type ConvSettings = Partial<Pick<ConvLayer, 'stride' | 'padding' | 'dilation' | 'flip' | 'outChannels' | 'kernelSize'>>;
type PoolSettings = Partial<Pick<PoolLayer, 'stride' | 'padding' | 'kernel' | 'mode' | 'countIncludePad'>>;

export const setLayerSettings = defineAction<{ layerId: string; settings: ConvSettings | PoolSettings | Partial<Pick<ActLayer, 'fn'>> }>(
  'setLayerSettings',
  (doc, { layerId, settings }) => ({
    doc: withLayer(doc, layerId, (layer) => {
      if (layer.kind === 'conv') {
        const s = settings as ConvSettings;
        const shaped =
          s.outChannels !== undefined || s.kernelSize !== undefined
            ? reshapeConv(layer, s.outChannels ?? layer.outChannels, layer.inChannels, s.kernelSize ?? layer.kernelSize)
            : layer;
        return { ...shaped, ...s, weight: shaped.weight, bias: shaped.bias, outChannels: shaped.outChannels, kernelSize: shaped.kernelSize };
      }
      return { ...layer, ...settings } as Layer;
    }),
    capture: true,
  }),
);

export type NewLayerKind = 'conv' | 'maxPool' | 'avgPool' | 'relu' | 'sigmoid' | 'tanh';

export const addLayer = defineAction<{ kind: NewLayerKind }>('addLayer', (doc, { kind }) => {
  if (doc.layers.length >= LIMITS.maxLayers) return { doc, capture: false };
  const layer: Layer =
    kind === 'conv'
      ? makeConv([
          [0, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ])
      : kind === 'maxPool'
        ? makePool('max')
        : kind === 'avgPool'
          ? makePool('avg')
          : makeActivation(kind);
  return { doc: { ...doc, layers: fitChannels([...doc.layers, layer], doc.input.channels) }, capture: true };
});

export const removeLayer = defineAction<{ layerId: string }>('removeLayer', (doc, { layerId }) => ({
  doc: { ...doc, layers: fitChannels(doc.layers.filter((layer) => layer.id !== layerId), doc.input.channels) },
  capture: true,
}));

export const moveLayer = defineAction<{ layerId: string; by: -1 | 1 }>('moveLayer', (doc, { layerId, by }) => {
  const layers = [...doc.layers];
  const from = layers.findIndex((layer) => layer.id === layerId);
  const to = from + by;
  if (from < 0 || to < 0 || to >= layers.length) return { doc, capture: false };
  [layers[from], layers[to]] = [layers[to], layers[from]];
  return { doc: { ...doc, layers: fitChannels(layers, doc.input.channels) }, capture: true };
});

/** Replaces the whole document (a guide scene, a new lab, an opened file). */
export const loadDocument = defineAction<{ doc: LabDocument }>('loadDocument', (_doc, { doc }) => ({
  doc: { ...doc, layers: fitChannels(doc.layers, doc.input.channels) },
  capture: true,
}));
