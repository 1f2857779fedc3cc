/** protobufjs reads int64 fields as Long objects (or numbers when small): one way to turn them into numbers. */

/** An int64 field's value as protobufjs gives it. */
export type Int64 = number | { low: number; high: number; unsigned?: boolean; toNumber(): number };

/** The value as a number (exact up to 2^53; ONNX's INT64_MAX "to the end" markers become ≈ 9.22e18, still huge). */
export function int64Number(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}
