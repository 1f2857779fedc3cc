/**
 * Short moves of float32 data inside the module. memory.copy and memory.fill with a length known only at run time
 * are calls out of the module, dearer than the few moves of the short rows the conv kernels copy (a 10-wide LeNet
 * map is 10 floats; S4b's forward made 1,500 such calls an image).
 */

/** Copies n floats from s to d, four at a time. */
@inline export function copyFloats(d: usize, s: usize, n: i32): void {
  for (; n >= 4; n -= 4, d += 16, s += 16) v128.store(d, v128.load(s));
  for (; n > 0; n--, d += 4, s += 4) store<f32>(d, load<f32>(s));
}

/** Sets n floats from d to zero, four at a time. */
@inline export function zeroFloats(d: usize, n: i32): void {
  const z = f32x4.splat(0);
  for (; n >= 4; n -= 4, d += 16) v128.store(d, z);
  for (; n > 0; n--, d += 4) store<f32>(d, 0);
}

/**
 * Whether the n floats from p are all finite: v·0 is 0 for a finite v and NaN otherwise, and a NaN survives every
 * add, so four sums of sixteen values a step need no branch per value. The twin of ../../tensor.ts's checkFinite,
 * which names the first culprit once this has found that there is one.
 */
export function allFinite(p: usize, n: i32): bool {
  const zero = f32x4.splat(0);
  let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
  for (; n >= 16; n -= 16, p += 64) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(p), zero));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(p, 16), zero));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(p, 32), zero));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(p, 48), zero));
  }
  let tail: f32 = 0;
  for (; n > 0; n--, p += 4) tail += load<f32>(p) * 0;
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  return tail == 0 && i32x4.all_true(f32x4.eq(s, zero));
}
