/**
 * The sigmoid in WebAssembly SIMD, the twin of ../activation.ts: four values a step, exp by range reduction and a
 * polynomial (relative error near float32's rounding), so LeNet's activations stop costing as much as its convs.
 */

/** exp(x) for −87 ≤ x ≤ 0 per lane: x = n·ln2 + r with |r| ≤ ln2/2, exp(r) by its Taylor series to r⁷, 2ⁿ by bits. */
@inline function expNonPositive(x: v128): v128 {
  // n = round(x·log₂e), to nearest even, by adding 1.5·2²³: the sum's low mantissa bits are n itself, so one add
  // gives both n as a float (subtract it back) and as bits (no nearest, no float-to-int conversion).
  const magic = f32x4.splat(12582912.0);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.4426950408889634)), magic);
  const n = f32x4.sub(t, magic);
  // ln 2 in two parts, so r keeps its low bits (Cody–Waite).
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.0 / 5040.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2ⁿ: n + 127 in the exponent field (n ≥ −126 for x ≥ −87); n's bits are t's less magic's.
  const scale = i32x4.shl(i32x4.add(i32x4.sub(t, magic), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** y[i] = σ(x[i]) for i < count, as ../activation.ts's sigmoid: exp only of −|x| (clamped at −87, where σ is 0 or 1 in float32). */
export function sigmoidForward(x: usize, y: usize, count: i32): void {
  const one = f32x4.splat(1), zero = f32x4.splat(0), floor = f32x4.splat(-87);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    // pmax is one instruction where max's NaN rules take several; no NaN gets here (the ops refuse them first).
    const e = expNonPositive(f32x4.pmax(f32x4.neg(f32x4.abs(v)), floor));
    const r = f32x4.div(one, f32x4.add(one, e));
    v128.store(y + (<usize>i << 2), v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(v, zero)));
  }
  for (; i < count; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    const e = <f32>Math.exp(-Math.abs(<f64>v)), r = <f32>1 / (<f32>1 + e);
    store<f32>(y + (<usize>i << 2), v >= 0 ? r : e * r);
  }
}

/**
 * g[i] ← g[i]·y[i]·(1 − y[i]) for i < count: the sigmoid's backward from its output y, in place on the gradient
 * (LeNet's pooling backward leaves its result here, so the pair costs one trip through memory).
 */
export function sigmoidBackwardInPlace(y: usize, g: usize, count: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(y + o);
    v128.store(g + o, f32x4.mul(f32x4.mul(v128.load(g + o), v), f32x4.sub(one, v)));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(y + o);
    store<f32>(g + o, load<f32>(g + o) * v * (<f32>1 - v));
  }
}
