/**
 * The small inline helpers the kernels share: a float's byte address, sizes rounded up to a multiple, and the lane
 * multiply-add. @inline, so each call compiles as if written in place.
 */

/** n rounded up to a multiple of m. */
@inline export function roundUp(n: i32, m: i32): i32 {
  return (n + m - 1) / m * m;
}

/** The byte address `floats` float32 values past p. */
@inline export function at(p: usize, floats: i32): usize {
  return p + (<usize>floats << 2);
}

/**
 * c + a·b per lane: one fused multiply-add where the build enables relaxed SIMD (the module is built both ways and
 * the loader takes the first the runtime accepts), a multiply then an add otherwise.
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
