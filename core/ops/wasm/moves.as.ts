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
