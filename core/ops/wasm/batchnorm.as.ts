/**
 * Batch norm in WebAssembly SIMD, the twin of ../batchnorm.ts over float32 memory laid out N×C×inner (inner = H·W
 * for conv maps, 1 for dense features). Sums are taken in f64 as the TypeScript takes them, and each value's
 * arithmetic is the TypeScript's own, in f64 lanes and in the same order, rounded to f32 once: outputs and input
 * gradients match it bit for bit given the same statistics, which differ from its sums only in the order of the
 * adds. Per-channel arrays (sums, means, scales) are f64.
 *
 * Conv maps (inner > 1) are read plane by plane, the sums eight floats a step, the rest four; dense features
 * (inner = 1) row by row, four channels a step, adding into the per-channel sums in memory in sample order: the
 * TypeScript's order exactly, so there the sums match too.
 */

@inline function f32at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline function f64at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** Lanes 0–1 of four floats as two f64. */
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2–3 of four floats as two f64. */
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded to f32 and packed back into four lanes. */
@inline function pack(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

@inline function total(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

@inline function zeroDoubles(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(f64at(p, i), 0);
}

/** Σ of `len` floats from p, in f64: eight a step into four running sums, so the adds' latency overlaps. */
function planeSum(p: usize, len: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0), c = f64x2.splat(0), d = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const v = v128.load(f32at(p, i)), w = v128.load(f32at(p, i + 4));
    a = f64x2.add(a, low(v));
    b = f64x2.add(b, high(v));
    c = f64x2.add(c, low(w));
    d = f64x2.add(d, high(w));
  }
  if (i + 4 <= len) {
    const v = v128.load(f32at(p, i));
    a = f64x2.add(a, low(v));
    b = f64x2.add(b, high(v));
    i += 4;
  }
  let s = total(f64x2.add(a, c), f64x2.add(b, d));
  for (; i < len; i++) s += <f64>load<f32>(f32at(p, i));
  return s;
}

/** Σ(x − m)² of `len` floats from p, in f64, eight a step as planeSum. */
function planeSquares(p: usize, len: i32, m: f64): f64 {
  const mm = f64x2.splat(m);
  let a = f64x2.splat(0), b = f64x2.splat(0), c = f64x2.splat(0), d = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const v = v128.load(f32at(p, i)), w = v128.load(f32at(p, i + 4));
    const d0 = f64x2.sub(low(v), mm), d1 = f64x2.sub(high(v), mm), d2 = f64x2.sub(low(w), mm), d3 = f64x2.sub(high(w), mm);
    a = f64x2.add(a, f64x2.mul(d0, d0));
    b = f64x2.add(b, f64x2.mul(d1, d1));
    c = f64x2.add(c, f64x2.mul(d2, d2));
    d = f64x2.add(d, f64x2.mul(d3, d3));
  }
  if (i + 4 <= len) {
    const v = v128.load(f32at(p, i));
    const d0 = f64x2.sub(low(v), mm), d1 = f64x2.sub(high(v), mm);
    a = f64x2.add(a, f64x2.mul(d0, d0));
    b = f64x2.add(b, f64x2.mul(d1, d1));
    i += 4;
  }
  let s = total(f64x2.add(a, c), f64x2.add(b, d));
  for (; i < len; i++) {
    const e = <f64>load<f32>(f32at(p, i)) - m;
    s += e * e;
  }
  return s;
}

/** acc[ch] += row[ch] for ch < c (f64 accumulators, f32 row). */
function addRow(row: usize, acc: usize, c: i32): void {
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    const v = v128.load(f32at(row, ch)), a = f64at(acc, ch);
    v128.store(a, f64x2.add(v128.load(a), low(v)));
    v128.store(a + 16, f64x2.add(v128.load(a + 16), high(v)));
  }
  for (; ch < c; ch++) store<f64>(f64at(acc, ch), load<f64>(f64at(acc, ch)) + <f64>load<f32>(f32at(row, ch)));
}

/** acc[ch] += (row[ch] − mean[ch])² for ch < c. */
function addRowSquares(row: usize, mean: usize, acc: usize, c: i32): void {
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    const v = v128.load(f32at(row, ch)), a = f64at(acc, ch), m = f64at(mean, ch);
    const d0 = f64x2.sub(low(v), v128.load(m)), d1 = f64x2.sub(high(v), v128.load(m + 16));
    v128.store(a, f64x2.add(v128.load(a), f64x2.mul(d0, d0)));
    v128.store(a + 16, f64x2.add(v128.load(a + 16), f64x2.mul(d1, d1)));
  }
  for (; ch < c; ch++) {
    const d = <f64>load<f32>(f32at(row, ch)) - load<f64>(f64at(mean, ch));
    store<f64>(f64at(acc, ch), load<f64>(f64at(acc, ch)) + d * d);
  }
}

/**
 * The train-mode forward's sums, batchnorm.ts's layout: per channel sums[ch] = Σx, sums[c + ch] = Σ(x − Σx/count)²
 * and sums[2c + ch] = (Σx)²/count (count = n·inner, the caller's sums[3c]).
 */
export function batchNormStats(x: usize, n: i32, c: i32, inner: i32, count: f64, sums: usize): void {
  const s1 = sums, s2 = f64at(sums, c), s3 = f64at(sums, 2 * c);
  if (inner == 1) {
    // Σx row by row; the means wait in the third block, which gets its own values last.
    zeroDoubles(s1, c);
    for (let b = 0; b < n; b++) addRow(f32at(x, b * c), s1, c);
    for (let ch = 0; ch < c; ch++) store<f64>(f64at(s3, ch), load<f64>(f64at(s1, ch)) / count);
    zeroDoubles(s2, c);
    for (let b = 0; b < n; b++) addRowSquares(f32at(x, b * c), s3, s2, c);
  } else {
    for (let ch = 0; ch < c; ch++) {
      let s: f64 = 0;
      for (let b = 0; b < n; b++) s += planeSum(f32at(x, (b * c + ch) * inner), inner);
      const m = s / count;
      let v: f64 = 0;
      for (let b = 0; b < n; b++) v += planeSquares(f32at(x, (b * c + ch) * inner), inner, m);
      store<f64>(f64at(s1, ch), s);
      store<f64>(f64at(s2, ch), v);
    }
  }
  for (let ch = 0; ch < c; ch++) {
    const s = load<f64>(f64at(s1, ch));
    store<f64>(f64at(s3, ch), (s * s) / count);
  }
}

/** y = (x − mean[ch])·scale[ch] + shift[ch], in f64, rounded once. */
export function batchNormApply(x: usize, y: usize, n: i32, c: i32, inner: i32, mean: usize, scale: usize, shift: usize): void {
  if (inner == 1) {
    for (let b = 0; b < n; b++) {
      const xr = f32at(x, b * c), yr = f32at(y, b * c);
      let ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        const v = v128.load(f32at(xr, ch)), m = f64at(mean, ch), k = f64at(scale, ch), t = f64at(shift, ch);
        const lo = f64x2.add(f64x2.mul(f64x2.sub(low(v), v128.load(m)), v128.load(k)), v128.load(t));
        const hi = f64x2.add(f64x2.mul(f64x2.sub(high(v), v128.load(m + 16)), v128.load(k + 16)), v128.load(t + 16));
        v128.store(f32at(yr, ch), pack(lo, hi));
      }
      for (; ch < c; ch++) {
        const v = <f64>load<f32>(f32at(xr, ch));
        store<f32>(f32at(yr, ch), <f32>((v - load<f64>(f64at(mean, ch))) * load<f64>(f64at(scale, ch)) + load<f64>(f64at(shift, ch))));
      }
    }
    return;
  }
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (b * c + ch) * inner, xp = f32at(x, o), yp = f32at(y, o);
      const m = load<f64>(f64at(mean, ch)), k = load<f64>(f64at(scale, ch)), t = load<f64>(f64at(shift, ch));
      const mm = f64x2.splat(m), kk = f64x2.splat(k), tt = f64x2.splat(t);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(f32at(xp, i));
        const lo = f64x2.add(f64x2.mul(f64x2.sub(low(v), mm), kk), tt);
        const hi = f64x2.add(f64x2.mul(f64x2.sub(high(v), mm), kk), tt);
        v128.store(f32at(yp, i), pack(lo, hi));
      }
      for (; i < inner; i++) store<f32>(f32at(yp, i), <f32>((<f64>load<f32>(f32at(xp, i)) - m) * k + t));
    }
  }
}

/** The backward's sums: per channel sums[ch] = ΣG and sums[c + ch] = ΣG·(x − mean)·invStd. */
export function batchNormGradSums(x: usize, g: usize, n: i32, c: i32, inner: i32, mean: usize, invStd: usize, sums: usize): void {
  const sg = sums, sgx = f64at(sums, c);
  if (inner == 1) {
    zeroDoubles(sums, 2 * c);
    for (let b = 0; b < n; b++) {
      const xr = f32at(x, b * c), gr = f32at(g, b * c);
      let ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        const v = v128.load(f32at(xr, ch)), w = v128.load(f32at(gr, ch));
        const m = f64at(mean, ch), is = f64at(invStd, ch), a = f64at(sg, ch), e = f64at(sgx, ch);
        const g0 = low(w), g1 = high(w);
        v128.store(a, f64x2.add(v128.load(a), g0));
        v128.store(a + 16, f64x2.add(v128.load(a + 16), g1));
        v128.store(e, f64x2.add(v128.load(e), f64x2.mul(f64x2.mul(g0, f64x2.sub(low(v), v128.load(m))), v128.load(is))));
        v128.store(e + 16, f64x2.add(v128.load(e + 16), f64x2.mul(f64x2.mul(g1, f64x2.sub(high(v), v128.load(m + 16))), v128.load(is + 16))));
      }
      for (; ch < c; ch++) {
        const gv = <f64>load<f32>(f32at(gr, ch)), xv = <f64>load<f32>(f32at(xr, ch));
        store<f64>(f64at(sg, ch), load<f64>(f64at(sg, ch)) + gv);
        store<f64>(f64at(sgx, ch), load<f64>(f64at(sgx, ch)) + gv * (xv - load<f64>(f64at(mean, ch))) * load<f64>(f64at(invStd, ch)));
      }
    }
    return;
  }
  for (let ch = 0; ch < c; ch++) {
    const m = load<f64>(f64at(mean, ch)), is = load<f64>(f64at(invStd, ch));
    const mm = f64x2.splat(m), ii = f64x2.splat(is);
    let s: f64 = 0, sx: f64 = 0;
    for (let b = 0; b < n; b++) {
      const o = (b * c + ch) * inner, xp = f32at(x, o), gp = f32at(g, o);
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let e0 = f64x2.splat(0), e1 = f64x2.splat(0), e2 = f64x2.splat(0), e3 = f64x2.splat(0);
      let i = 0;
      // Eight a step into eight running sums, as planeSum; then four, then one.
      for (; i + 8 <= inner; i += 8) {
        const v = v128.load(f32at(xp, i)), w = v128.load(f32at(gp, i));
        const v2 = v128.load(f32at(xp, i + 4)), w2 = v128.load(f32at(gp, i + 4));
        const g0 = low(w), g1 = high(w), g2 = low(w2), g3 = high(w2);
        a0 = f64x2.add(a0, g0);
        a1 = f64x2.add(a1, g1);
        a2 = f64x2.add(a2, g2);
        a3 = f64x2.add(a3, g3);
        e0 = f64x2.add(e0, f64x2.mul(f64x2.mul(g0, f64x2.sub(low(v), mm)), ii));
        e1 = f64x2.add(e1, f64x2.mul(f64x2.mul(g1, f64x2.sub(high(v), mm)), ii));
        e2 = f64x2.add(e2, f64x2.mul(f64x2.mul(g2, f64x2.sub(low(v2), mm)), ii));
        e3 = f64x2.add(e3, f64x2.mul(f64x2.mul(g3, f64x2.sub(high(v2), mm)), ii));
      }
      if (i + 4 <= inner) {
        const v = v128.load(f32at(xp, i)), w = v128.load(f32at(gp, i));
        const g0 = low(w), g1 = high(w);
        a0 = f64x2.add(a0, g0);
        a1 = f64x2.add(a1, g1);
        e0 = f64x2.add(e0, f64x2.mul(f64x2.mul(g0, f64x2.sub(low(v), mm)), ii));
        e1 = f64x2.add(e1, f64x2.mul(f64x2.mul(g1, f64x2.sub(high(v), mm)), ii));
        i += 4;
      }
      let ps = total(f64x2.add(a0, a2), f64x2.add(a1, a3)), px = total(f64x2.add(e0, e2), f64x2.add(e1, e3));
      for (; i < inner; i++) {
        const gv = <f64>load<f32>(f32at(gp, i));
        ps += gv;
        px += gv * (<f64>load<f32>(f32at(xp, i)) - m) * is;
      }
      s += ps;
      sx += px;
    }
    store<f64>(f64at(sg, ch), s);
    store<f64>(f64at(sgx, ch), sx);
  }
}

/**
 * gx = scale[ch]·(G − mg[ch] − (x − mean[ch])·invStd[ch]·mgx[ch]), in f64, rounded once: train mode's input
 * gradient with mg and mgx the whole batch's mean G and mean G·x̂; predict mode's scale·G with both zero.
 */
export function batchNormGradInput(x: usize, g: usize, gx: usize, n: i32, c: i32, inner: i32, mean: usize, invStd: usize,
  scale: usize, mg: usize, mgx: usize): void {
  if (inner == 1) {
    for (let b = 0; b < n; b++) {
      const xr = f32at(x, b * c), gr = f32at(g, b * c), outRow = f32at(gx, b * c);
      let ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        const v = v128.load(f32at(xr, ch)), w = v128.load(f32at(gr, ch));
        const m = f64at(mean, ch), is = f64at(invStd, ch), k = f64at(scale, ch), a = f64at(mg, ch), e = f64at(mgx, ch);
        const lo = f64x2.mul(v128.load(k), f64x2.sub(f64x2.sub(low(w), v128.load(a)),
          f64x2.mul(f64x2.mul(f64x2.sub(low(v), v128.load(m)), v128.load(is)), v128.load(e))));
        const hi = f64x2.mul(v128.load(k + 16), f64x2.sub(f64x2.sub(high(w), v128.load(a + 16)),
          f64x2.mul(f64x2.mul(f64x2.sub(high(v), v128.load(m + 16)), v128.load(is + 16)), v128.load(e + 16))));
        v128.store(f32at(outRow, ch), pack(lo, hi));
      }
      for (; ch < c; ch++) {
        const gv = <f64>load<f32>(f32at(gr, ch)), xv = <f64>load<f32>(f32at(xr, ch));
        store<f32>(f32at(outRow, ch), <f32>(load<f64>(f64at(scale, ch)) * (gv - load<f64>(f64at(mg, ch)) -
          (xv - load<f64>(f64at(mean, ch))) * load<f64>(f64at(invStd, ch)) * load<f64>(f64at(mgx, ch)))));
      }
    }
    return;
  }
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (b * c + ch) * inner, xp = f32at(x, o), gp = f32at(g, o), op = f32at(gx, o);
      const m = load<f64>(f64at(mean, ch)), is = load<f64>(f64at(invStd, ch)), k = load<f64>(f64at(scale, ch));
      const a = load<f64>(f64at(mg, ch)), e = load<f64>(f64at(mgx, ch));
      const mm = f64x2.splat(m), ii = f64x2.splat(is), kk = f64x2.splat(k), aa = f64x2.splat(a), ee = f64x2.splat(e);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(f32at(xp, i)), w = v128.load(f32at(gp, i));
        const lo = f64x2.mul(kk, f64x2.sub(f64x2.sub(low(w), aa), f64x2.mul(f64x2.mul(f64x2.sub(low(v), mm), ii), ee)));
        const hi = f64x2.mul(kk, f64x2.sub(f64x2.sub(high(w), aa), f64x2.mul(f64x2.mul(f64x2.sub(high(v), mm), ii), ee)));
        v128.store(f32at(op, i), pack(lo, hi));
      }
      for (; i < inner; i++) {
        const gv = <f64>load<f32>(f32at(gp, i)), xv = <f64>load<f32>(f32at(xp, i));
        store<f32>(f32at(op, i), <f32>(k * (gv - a - (xv - m) * is * e)));
      }
    }
  }
}
