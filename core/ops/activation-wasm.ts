/** The sigmoid on the WebAssembly kernels (wasm/activation.as.ts): the input copied in, the result out. */
import { arenaFor } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';

/** y = σ(x) element-wise; `y` may be `x`. */
export function sigmoidWasm(k: WasmKernels, x: Float32Array, y: Float32Array): void {
  const a = arenaFor(k);
  const px = a.put(x);
  k.sigmoidForward(px, px, x.length);
  y.set(a.view(px, x.length));
}
