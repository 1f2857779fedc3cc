/**
 * The dense layer's forward in WebAssembly SIMD: y[r, o] = Σ_i x[r, i]·w[o, i] with W in its own out × in layout, so
 * nothing is transposed or packed (a transposed copy of AlexNet's 6400 × 4096 weights cost more than the product).
 * Each sum runs over i in four lanes (i ≡ lane mod 4), the lanes added (0 + 1) + (2 + 3), then the ragged tail in
 * order: the same steps for every (r, o), so a row's outputs do not depend on the batch around it (split batches
 * give the same values). Tiles of 4 outputs × 4 rows keep 16 sums in registers; the 4 weight rows of a tile stay
 * in cache while every group of rows passes over them, so W is read from memory once.
 */
import { madd } from './inline.as';

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** One sum, as the tiles compute each of theirs. */
@inline function dot(x: usize, w: usize, inp: i32): f32 {
  const body = inp & ~3;
  let acc = f32x4.splat(0);
  for (let i = 0; i < body; i += 4) acc = madd(v128.load(x + (<usize>i << 2)), v128.load(w + (<usize>i << 2)), acc);
  let s = hsum(acc);
  for (let i = body; i < inp; i++) s += load<f32>(x + (<usize>i << 2)) * load<f32>(w + (<usize>i << 2));
  return s;
}

/** Four rows × four outputs: y[r0 + a, o0 + b] for a, b < 4. */
function tile4x4(x: usize, w: usize, y: usize, r0: i32, o0: i32, inp: i32, ldy: i32): void {
  const body = inp & ~3, row = <usize>inp << 2;
  const x0 = x + <usize>r0 * row, x1 = x0 + row, x2 = x1 + row, x3 = x2 + row;
  const w0 = w + <usize>o0 * row, w1 = w0 + row, w2 = w1 + row, w3 = w2 + row;
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a22 = f32x4.splat(0), a23 = f32x4.splat(0);
  let a30 = f32x4.splat(0), a31 = f32x4.splat(0), a32 = f32x4.splat(0), a33 = f32x4.splat(0);
  for (let i = 0; i < body; i += 4) {
    const off = <usize>i << 2;
    const v0 = v128.load(w0 + off), v1 = v128.load(w1 + off), v2 = v128.load(w2 + off), v3 = v128.load(w3 + off);
    let u = v128.load(x0 + off);
    a00 = madd(u, v0, a00); a01 = madd(u, v1, a01); a02 = madd(u, v2, a02); a03 = madd(u, v3, a03);
    u = v128.load(x1 + off);
    a10 = madd(u, v0, a10); a11 = madd(u, v1, a11); a12 = madd(u, v2, a12); a13 = madd(u, v3, a13);
    u = v128.load(x2 + off);
    a20 = madd(u, v0, a20); a21 = madd(u, v1, a21); a22 = madd(u, v2, a22); a23 = madd(u, v3, a23);
    u = v128.load(x3 + off);
    a30 = madd(u, v0, a30); a31 = madd(u, v1, a31); a32 = madd(u, v2, a32); a33 = madd(u, v3, a33);
  }
  finish(x, w, y, r0, o0, a00, inp, ldy); finish(x, w, y, r0, o0 + 1, a01, inp, ldy);
  finish(x, w, y, r0, o0 + 2, a02, inp, ldy); finish(x, w, y, r0, o0 + 3, a03, inp, ldy);
  finish(x, w, y, r0 + 1, o0, a10, inp, ldy); finish(x, w, y, r0 + 1, o0 + 1, a11, inp, ldy);
  finish(x, w, y, r0 + 1, o0 + 2, a12, inp, ldy); finish(x, w, y, r0 + 1, o0 + 3, a13, inp, ldy);
  finish(x, w, y, r0 + 2, o0, a20, inp, ldy); finish(x, w, y, r0 + 2, o0 + 1, a21, inp, ldy);
  finish(x, w, y, r0 + 2, o0 + 2, a22, inp, ldy); finish(x, w, y, r0 + 2, o0 + 3, a23, inp, ldy);
  finish(x, w, y, r0 + 3, o0, a30, inp, ldy); finish(x, w, y, r0 + 3, o0 + 1, a31, inp, ldy);
  finish(x, w, y, r0 + 3, o0 + 2, a32, inp, ldy); finish(x, w, y, r0 + 3, o0 + 3, a33, inp, ldy);
}

/** y[r, o] from its four lane sums: the lanes added as dot() adds them, then the ragged tail in order. */
function finish(x: usize, w: usize, y: usize, r: i32, o: i32, acc: v128, inp: i32, ldy: i32): void {
  const row = <usize>inp << 2, xr = x + <usize>r * row, wr = w + <usize>o * row;
  let s = hsum(acc);
  for (let i = inp & ~3; i < inp; i++) s += load<f32>(xr + (<usize>i << 2)) * load<f32>(wr + (<usize>i << 2));
  store<f32>(y + (<usize>(r * ldy + o) << 2), s);
}

/** One output, every row: column o of y, for the outputs past the last whole group of four. */
function column(x: usize, w: usize, y: usize, r0: i32, r1: i32, o: i32, inp: i32, ldy: i32): void {
  const row = <usize>inp << 2;
  for (let r = r0; r < r1; r++) store<f32>(y + (<usize>(r * ldy + o) << 2), dot(x + <usize>r * row, w + <usize>o * row, inp));
}

/**
 * y (n × out, rows `ldy` floats apart) = x (n × inp) · Wᵀ, W out × inp, all float32 at byte addresses; no bias (the
 * caller adds it). A caller may pass W a block of rows at a time, with y pointing at the block's first column.
 */
export function denseForward(x: usize, w: usize, y: usize, n: i32, inp: i32, out: i32, ldy: i32): void {
  const rows4 = n & ~3, outs4 = out & ~3;
  for (let o = 0; o < outs4; o += 4) {
    for (let r = 0; r < rows4; r += 4) tile4x4(x, w, y, r, o, inp, ldy);
    for (let b = 0; b < 4; b++) column(x, w, y, rows4, n, o + b, inp, ldy);
  }
  for (let o = outs4; o < out; o++) column(x, w, y, 0, n, o, inp, ldy);
}
