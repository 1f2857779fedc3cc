/** pool2d's forward and backward on the WebAssembly kernels (wasm/pool2d.as.ts): operands copied in, result out. */
import type { Pool2dParams } from './pool2d-params';
import { arenaFor } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';
import { checkFinite } from '../tensor';

/** [planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, isMax, includePad] as the kernels take them. */
function sizes(shape: readonly number[], oh: number, ow: number, p: Pool2dParams) {
  return [shape[0] * shape[1], shape[2], shape[3], oh, ow, ...p.kernel, ...p.stride, ...p.padding,
    p.mode === 'max' ? 1 : 0, p.countIncludePad ? 1 : 0] as const;
}

export function pool2dWasm(k: WasmKernels, shape: readonly number[], x: Float32Array, oh: number, ow: number, p: Pool2dParams, y: Float32Array): void {
  const a = arenaFor(k);
  const px = a.put(x), py = a.take(y.length);
  k.poolForward(px, py, ...sizes(shape, oh, ow, p));
  y.set(a.view(py, y.length));
}

export function pool2dBackwardWasm(k: WasmKernels, shape: readonly number[], x: Float32Array, gy: Float32Array, oh: number, ow: number,
  p: Pool2dParams, gx: Float32Array): void {
  const a = arenaFor(k);
  const px = a.put(x), pg = a.put(gy), pgx = a.take(gx.length);
  k.poolBackward(px, pg, pgx, ...sizes(shape, oh, ow, p));
  gx.set(a.view(pgx, gx.length));
}

/** σ(x) in place in the module's memory, then pooled: `y` gets σ(x) (pooling's backward needs it), `pooled` the result. */
export function sigmoidPoolWasm(k: WasmKernels, shape: readonly number[], x: Float32Array, oh: number, ow: number, p: Pool2dParams,
  y: Float32Array, pooled: Float32Array): void {
  const a = arenaFor(k);
  const px = a.put(x), pp = a.take(pooled.length);
  // Scanned in the module's memory; checkFinite names the culprit (and throws) once the scan has found one.
  if (!k.allFinite(px, x.length)) checkFinite(x, 'input');
  k.sigmoidForward(px, px, x.length);
  k.poolForward(px, pp, ...sizes(shape, oh, ow, p));
  y.set(a.view(px, y.length));
  pooled.set(a.view(pp, pooled.length));
}

/** Pooling's backward from σ's output `y`, then σ's backward (·y(1 − y)) on the result before it leaves the module. */
export function sigmoidPoolBackwardWasm(k: WasmKernels, shape: readonly number[], y: Float32Array, gy: Float32Array, oh: number, ow: number,
  p: Pool2dParams, gx: Float32Array): void {
  const a = arenaFor(k);
  const py = a.put(y), pg = a.put(gy), pgx = a.take(gx.length);
  k.poolBackward(py, pg, pgx, ...sizes(shape, oh, ow, p));
  k.sigmoidBackwardInPlace(py, pgx, gx.length);
  gx.set(a.view(pgx, gx.length));
}
