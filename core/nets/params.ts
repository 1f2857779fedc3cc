/**
 * The parameters a NetSpec owns, in model order, and their starting values: Gluon's Xavier for weights (uniform,
 * fan average, magnitude 3), zero biases, BN γ = 1, β = 0, moving mean 0 and a moving variance of the caller's choice
 * (0 for the book's scratch BatchNorm, 1 for Gluon's nn.BatchNorm).
 */
import { check } from '../errors';
import { mulberry32 } from '../random';
import { checkFinite, shapeText, sizeOf } from '../tensor';
import type { AnySpec, ParamShape } from '../layers/kind';
import { kindOf } from '../layers/table';
import type { NetSpec, Params } from './model';

export type { ParamRole } from '../layers/kind';

/** One parameter tensor a spec needs; `trainable` is false for BN's moving statistics. */
export interface ParamSlot extends ParamShape {
  path: string;
}

/** The path of layer `i` under `prefix` ("" at the top level). */
export function layerPath(prefix: string, i: number): string {
  return prefix === '' ? `${i}` : `${prefix}.${i}`;
}

function collect(layers: readonly AnySpec[], prefix: string, out: ParamSlot[]): void {
  layers.forEach((l, i) => {
    const p = layerPath(prefix, i), kind = kindOf(l);
    if (kind.container) for (const b of kind.branches(l)) collect(b.layers, `${p}.${b.name}`, out);
    else for (const shape of kind.params?.(l) ?? []) out.push({ path: `${p}.${shape.role}`, ...shape });
  });
}

/** Every parameter tensor of `spec`, depth first in model order (a residual's body before its shortcut). */
export function paramSlots(spec: NetSpec): ParamSlot[] {
  const out: ParamSlot[] = [];
  collect(spec, '', out);
  return out;
}

/** Number of learnable values (weights, biases, γ, β; not the moving statistics): LeNet's is 44,426. */
export function learnableCount(spec: NetSpec): number {
  return paramSlots(spec).reduce((s, p) => s + (p.trainable ? sizeOf(p.shape) : 0), 0);
}

export interface InitOptions {
  seed: number;
  /** Starting moving variance of every batchnorm: 0 (the book's scratch BatchNorm) or 1 (Gluon's). Default 1. */
  movingVar?: number;
}

/** Fresh parameters for `spec`: Xavier weights drawn in model order from one seeded stream, the rest constant. */
export function initParams(spec: NetSpec, options: InitOptions): Params {
  const next = mulberry32(options.seed);
  const params: Params = new Map();
  for (const slot of paramSlots(spec)) {
    const data = new Float32Array(sizeOf(slot.shape));
    if (slot.role === 'weight') {
      const s = Math.sqrt(3 / ((slot.fanIn! + slot.fanOut!) / 2));
      for (let i = 0; i < data.length; i++) data[i] = (2 * next() - 1) * s;
    } else if (slot.role === 'gamma') data.fill(1);
    else if (slot.role === 'moving_var') data.fill(options.movingVar ?? 1);
    params.set(slot.path, { shape: slot.shape, data });
  }
  return params;
}

/**
 * Checks `params` holds exactly the tensors `spec` needs, each of the right shape and finite (a saved lab with
 * weights of the wrong shape or NaNs is refused here, naming the parameter).
 */
export function checkParams(spec: NetSpec, params: Params): void {
  const slots = paramSlots(spec);
  for (const slot of slots) {
    const t = params.get(slot.path);
    check(t !== undefined, 'format', () => `parameter ${slot.path} is missing`);
    check(t.shape.length === slot.shape.length && t.shape.every((d, i) => d === slot.shape[i]) && t.data.length === sizeOf(slot.shape), 'shape',
      () => `parameter ${slot.path} has shape ${shapeText(t.shape)} but the network needs ${shapeText(slot.shape)}`);
    checkFinite(t.data, `parameter ${slot.path}`);
  }
  const known = new Set(slots.map((s) => s.path));
  for (const path of params.keys()) check(known.has(path), 'format', () => `parameter ${path} belongs to no layer of the network`);
}

/** A deep copy of `params` (for snapshots the UI keeps while training goes on). */
export function cloneParams(params: Params): Params {
  const out: Params = new Map();
  for (const [k, t] of params) out.set(k, { shape: [...t.shape], data: Float32Array.from(t.data) });
  return out;
}
