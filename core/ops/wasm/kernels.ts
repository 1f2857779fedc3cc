/**
 * The engine's WebAssembly SIMD kernels, chosen once at first use: compiled from index.as.ts by the build, tried
 * here, and used wherever the runtime validates SIMD; elsewhere (or when tests ask) the TypeScript kernels run.
 * core sees neither the DOM nor Node, so the few WebAssembly calls it needs are typed here from globalThis.
 */
import { KERNELS_WASM, KERNELS_WASM_RELAXED } from './kernels.generated';

/** The module's exports (see index.as.ts); pointers are byte addresses into `memory`. */
export interface WasmKernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  setGeometry(n: number, cin: number, h: number, w: number, cout: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, oh: number, ow: number): void;
  forward(x: number, w: number, bias: number, y: number, scratch: number): void;
  forwardScratch(): number;
  weightGrad(x: number, gy: number, gw: number, scratch: number): void;
  weightGradScratch(): number;
  biasGrad(gy: number, gb: number): void;
  inputGrad(w: number, gy: number, gx: number, scratch: number): void;
  inputGradScratch(): number;
  forwardDirect(x: number, w: number, bias: number, y: number, scratch: number): void;
  weightGradDirect(x: number, gy: number, gw: number, scratch: number): void;
  directScratch(): number;
  forwardTaps(x: number, w: number, bias: number, y: number, scratch: number): void;
  weightGradTaps(x: number, gy: number, gw: number, scratch: number): void;
  tapsScratch(): number;
  forwardTapsLanes(x: number, w: number, bias: number, y: number, scratch: number): void;
  forwardTapsLanesScratch(): number;
  weightGradTapsLanes(x: number, gy: number, gw: number, scratch: number): void;
  weightGradTapsLanesScratch(): number;
  inputGradTaps(w: number, gy: number, gx: number, scratch: number): void;
  inputGradTapsScratch(): number;
  gemm(ap: number, mPanels: number, b: number, ldb: number, nBlocks: number, T: number, c: number, ldc: number, accumulate: number): void;
  pack4(src: number, ld: number, M: number, T: number, out: number): number;
  pack4T(src: number, ld: number, M: number, T: number, out: number): number;
  denseForward(x: number, w: number, y: number, n: number, inp: number, out: number, ldy: number): void;
  poolForward(x: number, y: number, planes: number, h: number, w: number, oh: number, ow: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, isMax: number, includePad: number): void;
  poolBackward(x: number, gy: number, gx: number, planes: number, h: number, w: number, oh: number, ow: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, isMax: number, includePad: number): void;
  sigmoidForward(x: number, y: number, count: number): void;
  sigmoidBackwardInPlace(y: number, g: number, count: number): void;
  /** Batch norm (batchnorm.as.ts): f32 tensors N×C×inner, f64 per-channel arrays. */
  batchNormStats(x: number, n: number, c: number, inner: number, count: number, sums: number): void;
  batchNormApply(x: number, y: number, n: number, c: number, inner: number, mean: number, scale: number, shift: number): void;
  batchNormGradSums(x: number, g: number, n: number, c: number, inner: number, mean: number, invStd: number, sums: number): void;
  batchNormGradInput(x: number, g: number, gx: number, n: number, c: number, inner: number, mean: number, invStd: number,
    scale: number, mg: number, mgx: number): void;
  /** 1 when the floats are all finite, else 0. */
  allFinite(p: number, count: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 to bytes (atob and Buffer are the DOM's and Node's, which core may not use). */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor(clean.length * 3 / 4));
  let bits = 0, value = 0, o = 0;
  for (let i = 0; i < clean.length; i++) {
    value = (value << 6) | B64.indexOf(clean[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Compiles and instantiates the module with relaxed SIMD (fused multiply-add), else with plain SIMD, else null
 * where WebAssembly or its SIMD is unavailable.
 */
function instantiate(): WasmKernels | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  for (const binary of [KERNELS_WASM_RELAXED, KERNELS_WASM]) {
    try {
      // Synchronous compile: fine in workers and Node; a browser's main thread refuses large modules, and then
      // the TypeScript kernels serve.
      const instance = new api.Instance(new api.Module(fromBase64(binary)), { env: {} });
      return instance.exports as WasmKernels;
    } catch {
      // this runtime lacks a feature the binary uses: try the next
    }
  }
  return null;
}

let loaded: WasmKernels | null | undefined;
let enabled = true;

/** The kernels if WebAssembly SIMD is available and not switched off, else null (the TypeScript path). */
export function wasmKernels(): WasmKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = instantiate();
  return loaded;
}

/**
 * Chooses the kernel path: 'wasm' (the default, where available) or 'ts'. Returns the path now in use, which is
 * 'ts' when WebAssembly SIMD is missing whatever was asked. Tests run every engine test on both paths through this.
 */
export function setKernelPath(path: 'wasm' | 'ts'): 'wasm' | 'ts' {
  enabled = path === 'wasm';
  return wasmKernels() === null ? 'ts' : 'wasm';
}

/** The path conv2d and the other ops take now. */
export function kernelPath(): 'wasm' | 'ts' {
  return wasmKernels() === null ? 'ts' : 'wasm';
}
