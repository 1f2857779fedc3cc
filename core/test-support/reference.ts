/** Test helpers: the shared reference file, the tolerance rule, and seeded random tensors. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { mulberry32 } from '../random';
import type { Tensor } from '../tensor';
import { REFERENCE_2_PATH, REFERENCE_PATH } from './reference-path';

type Json = Record<string, unknown>;
export interface RefTensor { shape: number[]; data: number[] }

let cached: Json | undefined;
/** The parsed reference file (read once). */
export function loadReference(): Json {
  cached ??= JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as Json;
  return cached;
}

let cached2: Json | undefined;
/** The parsed convlab-reference/2 file (read once). */
export function loadReference2(): Json {
  cached2 ??= JSON.parse(readFileSync(REFERENCE_2_PATH, 'utf8')) as Json;
  return cached2;
}

/** The cases of one list of the convlab-reference/2 file. */
export function reference2Cases<T = Json>(list: string): T[] {
  return loadReference2()[list] as T[];
}

/** The cases of one list of the reference file. */
export function referenceCases<T = Json>(list: string): T[] {
  return loadReference()[list] as T[];
}

/** A reference tensor as an engine tensor. */
export function fromRef(t: RefTensor): Tensor {
  return { shape: t.shape, data: Float32Array.from(t.data) };
}

/** |got − ref| ≤ 1e-5·max(1, |ref|) for every value, and equal shapes. */
export function expectClose(got: Tensor | ArrayLike<number>, ref: RefTensor | ArrayLike<number>, what = 'value', scale = 1e-5): void {
  const gd = 'data' in got && !(got instanceof Float32Array) ? (got as Tensor).data : got as ArrayLike<number>;
  const rd = 'data' in ref && !(ref instanceof Float32Array) ? (ref as RefTensor).data : ref as ArrayLike<number>;
  if ('shape' in got && 'shape' in ref) expect([...(got as Tensor).shape], `${what} shape`).toEqual([...(ref as RefTensor).shape]);
  expect(gd.length, `${what} length`).toBe(rd.length);
  for (let i = 0; i < rd.length; i++) {
    const err = Math.abs(gd[i] - rd[i]);
    if (!(err <= scale * Math.max(1, Math.abs(rd[i])))) {
      expect.fail(`${what}[${i}]: got ${gd[i]}, want ${rd[i]} (|error| ${err.toExponential(2)})`);
    }
  }
}

/** A tensor of `shape` with values in [lo, hi), from `seed`. */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const next = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * next();
  return { shape, data };
}

/** Central finite differences of `f` with respect to every entry of `data` (perturbed in place, then restored). */
export function numericGrad(f: () => number, data: Float32Array, eps = 1e-2): Float64Array {
  const g = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    data[i] = v + eps;
    const up = f();
    data[i] = v - eps;
    const down = f();
    data[i] = v;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

/** Σ a·b in double precision: turns a tensor output into a scalar objective for gradient checks. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Expects analytic and numeric gradients to agree within `tol`·max(1, |numeric|). */
export function expectGradClose(analytic: ArrayLike<number>, numeric: ArrayLike<number>, what: string, tol = 2e-3): void {
  expect(analytic.length, `${what} length`).toBe(numeric.length);
  for (let i = 0; i < numeric.length; i++) {
    const err = Math.abs(analytic[i] - numeric[i]);
    if (!(err <= tol * Math.max(1, Math.abs(numeric[i])))) {
      expect.fail(`${what}[${i}]: analytic ${analytic[i]}, numeric ${numeric[i]}`);
    }
  }
}
