/** What every conformance runner shares: reading a case's fields and scoring values under the tolerance rule. */
import type { Tensor } from './tensor';

export type Json = Record<string, unknown>;

/** Thrown while reading a malformed case; it fails that case, not the run. */
export class CaseFormatError extends Error {}

export function obj(v: unknown, name: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CaseFormatError(`${name} must be an object`);
  return v as Json;
}

export function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CaseFormatError(`${name} must be a finite number`);
  return v;
}

export function nums(v: unknown, name: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new CaseFormatError(`${name} must be a list of numbers`);
  return v as number[];
}

export function pair(v: unknown, name: string): [number, number] {
  const p = nums(v, name);
  if (p.length !== 2) throw new CaseFormatError(`${name} must be a [height, width] pair`);
  return [p[0], p[1]];
}

export function tensorOf(v: unknown, name: string): Tensor {
  const t = obj(v, name);
  const shape = nums(t.shape, `${name}.shape`);
  const data = nums(t.data, `${name}.data`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new CaseFormatError(`${name} has ${data.length} values but shape ${shape.join('×')} needs ${n}`);
  return { shape, data: Float32Array.from(data) };
}

/** Accumulates the worst scaled error of one case. */
export class Score {
  maxError = 0;
  detail: string | undefined;
  private worstFail = 0;

  constructor(private readonly tol: number) {}

  value(name: string, got: number, ref: number): void {
    const e = Math.abs(got - ref) / Math.max(1, Math.abs(ref));
    const err = Number.isNaN(e) ? Infinity : e;
    if (err > this.maxError) this.maxError = err;
    if (err > this.tol && err > this.worstFail) {
      this.worstFail = err;
      this.detail = `${name}: got ${got}, want ${ref}`;
    }
  }

  tensor(name: string, got: Tensor, ref: Tensor): void {
    if (got.shape.length !== ref.shape.length || got.shape.some((d, i) => d !== ref.shape[i])) {
      this.fail(`${name}: shape ${got.shape.join('×')}, want ${ref.shape.join('×')}`);
      return;
    }
    for (let i = 0; i < ref.data.length; i++) this.value(`${name}[${i}]`, got.data[i], ref.data[i]);
  }

  list(name: string, got: ArrayLike<number>, ref: readonly number[]): void {
    if (got.length !== ref.length) {
      this.fail(`${name}: ${got.length} values, want ${ref.length}`);
      return;
    }
    for (let i = 0; i < ref.length; i++) this.value(`${name}[${i}]`, got[i], ref[i]);
  }

  fail(detail: string): void {
    this.maxError = Infinity;
    this.worstFail = Infinity;
    this.detail ??= detail;
  }

  get pass(): boolean {
    return this.maxError <= this.tol;
  }
}
