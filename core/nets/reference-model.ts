/**
 * Reads the `model` of a convlab-reference/2 training case (a list of layers, each with its settings and initial
 * tensors) into a NetSpec and its Params. Anything malformed is refused with a ConvLabError naming the layer.
 */
import { ConvLabError } from '../errors';
import type { Pair } from '../geometry';
import type { Tensor } from '../tensor';
import type { LayerSpec, NetSpec, Params } from './model';
import { layerPath, paramSlots } from './params';

type Json = Record<string, unknown>;

function fail(at: string, what: string): never {
  throw new ConvLabError('format', `model layer ${at}: ${what}`);
}

function obj(v: unknown, at: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, 'must be an object');
  return v as Json;
}

function int(v: unknown, at: string, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(at, `${name} must be a whole number`);
  return v;
}

function pair(v: unknown, at: string, name: string): Pair {
  if (!Array.isArray(v) || v.length !== 2) fail(at, `${name} must be a [height, width] pair`);
  return [int(v[0], at, name), int(v[1], at, name)];
}

function num(v: unknown, at: string, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, `${name} must be a finite number`);
  return v;
}

function tensorOf(v: unknown, at: string, name: string): Tensor {
  const t = obj(v, `${at}.${name}`);
  if (!Array.isArray(t.shape) || !Array.isArray(t.data) || !t.data.every((x) => typeof x === 'number')) fail(at, `${name} must be {shape, data}`);
  const shape = (t.shape as unknown[]).map((d) => int(d, at, `${name}.shape`));
  if (shape.reduce((a, b) => a * b, 1) !== t.data.length) fail(at, `${name} has ${t.data.length} values for shape ${shape.join('×')}`);
  return { shape, data: Float32Array.from(t.data as number[]) };
}

function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) fail(at, 'must be a list of layers');
  return v;
}

function layers(raw: unknown[], prefix: string, tensors: Map<string, Tensor>): LayerSpec[] {
  return raw.map((r, i) => {
    const at = layerPath(prefix, i), l = obj(r, at);
    const keep = (...names: string[]) => { for (const n of names) tensors.set(`${at}.${n}`, tensorOf(l[n], at, n)); };
    switch (l.type) {
      case 'conv2d':
        keep('weight', 'bias');
        return { type: 'conv2d', inChannels: int(l.in_channels, at, 'in_channels'), outChannels: int(l.out_channels, at, 'out_channels'),
          kernel: pair(l.kernel, at, 'kernel'), stride: pair(l.stride, at, 'stride'), padding: pair(l.padding, at, 'padding') };
      case 'dense':
        keep('weight', 'bias');
        return { type: 'dense', inFeatures: int(l.in_features, at, 'in_features'), outFeatures: int(l.out_features, at, 'out_features') };
      case 'maxpool':
        return { type: 'maxpool', kernel: pair(l.kernel, at, 'kernel'), stride: pair(l.stride, at, 'stride'), padding: pair(l.padding, at, 'padding') };
      case 'avgpool':
        return { type: 'avgpool', kernel: pair(l.kernel, at, 'kernel'), stride: pair(l.stride, at, 'stride'), padding: pair(l.padding, at, 'padding'),
          countIncludePad: l.count_include_pad !== false };
      case 'sigmoid': case 'relu': case 'tanh': case 'flatten': case 'global_avg_pool':
        return { type: l.type };
      case 'batchnorm':
        keep('gamma', 'beta', 'moving_mean', 'moving_var');
        return { type: 'batchnorm', channels: int(l.channels, at, 'channels'), momentum: num(l.momentum, at, 'momentum'), eps: num(l.eps, at, 'eps') };
      case 'dropout':
        return { type: 'dropout', rate: num(l.rate, at, 'rate') };
      case 'residual':
        return { type: 'residual', body: layers(list(l.body, `${at}.body`), `${at}.body`, tensors),
          shortcut: layers(list(l.shortcut, `${at}.shortcut`), `${at}.shortcut`, tensors) };
      case 'concat':
        return { type: 'concat', branches: list(l.branches, at).map((b, j) => layers(list(b, `${at}.branches.${j}`), `${at}.branches.${j}`, tensors)) };
      default:
        return fail(at, `unknown layer type ${JSON.stringify(l.type)}`);
    }
  });
}

/** The spec and its parameters (in model order) from a reference model. */
export function parseReferenceModel(model: unknown): { spec: NetSpec; params: Params } {
  if (!Array.isArray(model)) throw new ConvLabError('format', 'model must be a list of layers');
  const tensors = new Map<string, Tensor>();
  const spec = layers(model, '', tensors);
  const params: Params = new Map();
  for (const slot of paramSlots(spec)) params.set(slot.path, tensors.get(slot.path)!);
  return { spec, params };
}
