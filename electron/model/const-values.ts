/**
 * Small constant tensors as plain number arrays, for folding shape subgraphs: converted from and back to a
 * ModelTensor, with the strided indexing Gather, Slice and Concat need.
 */
import { ConvLabError } from '../../core/errors';
import type { ModelTensor } from './model-description';

/** Constants larger than this are not folded: shape subgraphs are small, and a big one is the runner's work. */
export const FOLD_MAX_ELEMENTS = 65_536;

/** A constant's element kind: what its ModelTensor's array will be. */
export type ValueKind = 'float' | 'int64' | 'int32';

/** A constant tensor as numbers (int64 values beyond 2^53 rounded; the ones ONNX uses there mean "to the end"). */
export interface ConstValues {
  dims: number[];
  values: number[];
  kind: ValueKind;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** `t` as numbers. */
export function valuesOf(t: ModelTensor): ConstValues {
  const kind: ValueKind = t.data instanceof BigInt64Array ? 'int64' : t.data instanceof Int32Array ? 'int32' : 'float';
  return { dims: [...t.dims], values: Array.from(t.data as ArrayLike<number | bigint>, Number), kind };
}

/** `v` back as a ModelTensor (int64 clamped to its range, so ≈ 9.22e18 stays INT64_MAX). */
export function tensorOf(v: ConstValues): ModelTensor {
  const dims = [...v.dims];
  if (v.kind === 'float') return { dims, data: Float32Array.from(v.values) };
  if (v.kind === 'int32') return { dims, data: Int32Array.from(v.values, Math.trunc) };
  const data = new BigInt64Array(v.values.length);
  v.values.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new ConvLabError('nonfinite', `an int64 constant holds ${x}; shape arithmetic must stay finite`);
    const b = BigInt(Math.trunc(x));
    data[i] = b > INT64_MAX ? INT64_MAX : b < INT64_MIN ? INT64_MIN : b;
  });
  return { dims, data };
}

/** `dims` as a tensor's dims: whole numbers ≥ 0, or a refusal naming `where`. */
export function checkedDims(dims: readonly number[], where: string): number[] {
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new ConvLabError('shape', `${where} asks for a tensor of dims ${dims.join('×')}; dims must be whole numbers ≥ 0`);
  return [...dims];
}

/** The number of elements of a tensor of `dims`. */
export const sizeOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** Calls `visit` with each multi-index of `dims` in row-major order and its flat position. */
export function eachIndex(dims: readonly number[], visit: (index: number[], flat: number) => void): void {
  const n = sizeOf(dims);
  const index = new Array<number>(dims.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    visit(index, flat);
    for (let a = dims.length - 1; a >= 0; a--) {
      if (++index[a] < dims[a]) break;
      index[a] = 0;
    }
  }
}

/** `axis` made non-negative for a tensor of `rank` dims (ONNX counts negative axes from the end), or a refusal. */
export function normAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw new ConvLabError('range', `axis ${axis} is outside a tensor of ${rank} dims`);
  return axis < 0 ? axis + rank : axis;
}
