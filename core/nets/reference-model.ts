/**
 * Reads the `model` of a convlab-reference/2 training case (a list of layers, each with its settings and initial
 * tensors) into a NetSpec and its Params. Anything malformed is refused with a ConvLabError naming the layer.
 */
import { ConvLabError } from '../errors';
import { intOf } from '../layers/rules';
import { isLayerType, kindOf } from '../layers/table';
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

function tensorOf(v: unknown, at: string, name: string): Tensor {
  const t = obj(v, `${at}.${name}`);
  if (!Array.isArray(t.shape) || !Array.isArray(t.data) || !t.data.every((x) => typeof x === 'number')) fail(at, `${name} must be {shape, data}`);
  const shape = (t.shape as unknown[]).map((d) => intOf(d, `${name}.shape`, (what) => fail(at, what)));
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
    const failHere = (what: string): never => fail(at, what);
    if (!isLayerType(l.type)) fail(at, `unknown layer type ${JSON.stringify(l.type)}`);
    const kind = kindOf(l as { type: string });
    if (kind.container) return kind.fromData(l, failHere, (v, name) => layers(list(v, `${at}.${name}`), `${at}.${name}`, tensors)) as LayerSpec;
    const keep = (...roles: string[]) => { for (const n of roles) tensors.set(`${at}.${n}`, tensorOf(l[n], at, n)); };
    return kind.fromData(l, failHere, keep) as LayerSpec;
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
