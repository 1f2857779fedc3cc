/** 2-D cross-correlation and convolution over NCHW batches with OIHW kernels: forward and backward side by side. */
import { check } from '../errors';
import { checkFinite, checkRank, shapeText, type Tensor } from '../tensor';
import { biasGrad, forwardDirect, forwardTiny, inputGradDirect, inputGradTiny, weightGradDirect, weightGradTiny } from './conv2d-direct';
import { forwardGemm, inputGradGemm, weightGradGemm } from './conv2d-gemm';
import { conv2dGeometry, conv2dParams, type Conv2dGeometry, type Conv2dOptions, type Conv2dParams } from './conv2d-geometry';
import { forwardWasm, forwardWasmRoute, inputGradWasm, weightGradWasm } from './conv2d-wasm';
import { forwardWinograd, forwardWinograd4, inputGradWinograd, inputGradWinograd4 } from './conv2d-winograd';
import { wasmKernels } from './wasm/kernels';
import { floats } from './floats';

export { conv2dGeometry, conv2dParams, type Conv2dGeometry, type Conv2dOptions, type Conv2dParams } from './conv2d-geometry';

/**
 * The book's corr2d on 2-D arrays: Y[i][j] = Σ X[i+a][j+b]·K[a][b], no padding, stride 1.
 *
 * corr2d(0..8 as 3×3, [[0,1],[2,3]]) → [[19,25],[37,43]] (d2l 5.1.1)
 */
export function corr2d(X: readonly (readonly number[])[], K: readonly (readonly number[])[]): number[][] {
  const h = K.length, w = K[0]?.length ?? 0;
  check(h >= 1 && w >= 1, 'shape', () => 'kernel must have at least one row and one column');
  check(X.length >= h && (X[0]?.length ?? 0) >= w, 'shape',
    () => `kernel ${h}×${w} is larger than the input ${X.length}×${X[0]?.length ?? 0}`);
  const Y: number[][] = [];
  for (let i = 0; i + h <= X.length; i++) {
    const row: number[] = [];
    for (let j = 0; j + w <= X[0].length; j++) {
      let s = 0;
      for (let a = 0; a < h; a++) for (let b = 0; b < w; b++) s += X[i + a][j + b] * K[a][b];
      row.push(Math.fround(s));
    }
    Y.push(row);
  }
  return Y;
}

/** Checks input, weight and bias agree; returns the geometry. */
function prepare(x: Tensor, w: Tensor, bias: Float32Array | null, p: Conv2dParams): Conv2dGeometry {
  checkRank(x, 4, 'NCHW', 'input');
  checkRank(w, 4, 'OIHW', 'weight');
  const g = conv2dGeometry(x.shape, w.shape, p);
  check(bias === null || bias.length === g.cout, 'shape',
    () => `bias has ${bias?.length} values but the weight has ${g.cout} output channels`);
  return g;
}

/** The kernel rotated by 180° in each (o, i) plane: convolution is cross-correlation with this. `out` may be `w`. */
export function rotate180(w: Float32Array, planes: number, kh: number, kw: number, out = new Float32Array(w.length)): Float32Array {
  const k = kh * kw;
  for (let p = 0; p < planes; p++) {
    const base = p * k;
    // Swap ends towards the middle, so rotating in place reads nothing already overwritten.
    for (let i = 0, j = k - 1; i <= j; i++, j--) {
      const a = w[base + i];
      out[base + i] = w[base + j];
      out[base + j] = a;
    }
  }
  return out;
}

/**
 * conv2d: y[n,o] = bias[o] + Σ_i corr(x[n,i] zero-padded, w[o,i]) with stride and dilation (or true
 * convolution with `flip`). Output N×Cout×Ho×Wo, Ho = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1, written into `into` when
 * given (every value overwritten).
 */
export function conv2d(x: Tensor, w: Tensor, bias: Float32Array | null = null, options: Conv2dOptions | Conv2dParams = {},
  into?: Float32Array): Tensor {
  const p = conv2dParams(options);
  const g = prepare(x, w, bias, p);
  const k = wasmKernels();
  const route = forwardRoute(g);
  // Refuse NaN/Infinity here rather than return a map of NaNs: the scan costs far less than the product. The
  // WebAssembly path scans the input in its own memory once it is copied there, four values an instruction.
  const wasmChecks = k !== null && route !== 'tiny';
  if (!wasmChecks) checkFinite(x.data, 'input');
  checkFinite(w.data, 'weight');
  if (bias !== null) checkFinite(bias, 'bias');
  const wd = p.flip ? rotate180(w.data, g.cout * g.cin, g.kh, g.kw) : w.data;
  // The WebAssembly path copies every value of its result out: only the TypeScript paths need zeros to start.
  const y = output(into, g.n * g.cout * g.oh * g.ow, k === null || route === 'tiny');
  if (route === 'tiny') forwardTiny(g, x.data, wd, bias, y);
  else if (k !== null) forwardWasm(k, g, x.data, wd, bias, y, useDirect(g, g.cout), wasmChecks);
  else if (route === 'winograd4') forwardWinograd4(g, x.data, wd, bias, y);
  else if (route === 'winograd2') forwardWinograd(g, x.data, wd, bias, y);
  else if (route === 'direct') forwardDirect(g, x.data, wd, bias, y);
  else forwardGemm(g, x.data, wd, bias, y);
  return { shape: [g.n, g.cout, g.oh, g.ow], data: y };
}

/** The forward kernel for this geometry: conv2d dispatches on it, and conv2dForwardRoute reports it. */
function forwardRoute(g: Conv2dGeometry): string {
  if (isTiny(g)) return 'tiny';
  if (wasmKernels() !== null) return `wasm-${forwardWasmRoute(g, useDirect(g, g.cout))}`;
  if (useWinograd(g, g.oh, g.ow)) return Math.min(g.oh, g.ow) >= WINOGRAD4_SIDE ? 'winograd4' : 'winograd2';
  return useDirect(g, g.cout) ? 'direct' : 'gemm';
}

/**
 * The kernel a forward pass of these shapes takes. Each kernel sums an output in an order that does not depend on
 * where it sits in the map, so two calls that take the same route agree bit for bit on the outputs they share
 * (core/lab/incremental-stack.ts relies on it to recompute a window of a map).
 */
export function conv2dForwardRoute(xShape: readonly number[], wShape: readonly number[], options: Conv2dOptions | Conv2dParams = {}): string {
  return forwardRoute(conv2dGeometry(xShape, wShape, conv2dParams(options)));
}

/** Gradients of sum(y · gradOutput) with respect to the input, the weight and the bias. */
export interface Conv2dGrads {
  gradInput: Tensor;
  gradWeight: Tensor;
  gradBias: Float32Array;
}

/** Which gradients conv2dBackward should compute (all by default); skipped ones come back as zeros. */
export interface Conv2dNeeds {
  input?: boolean;
  weight?: boolean;
  bias?: boolean;
}

function checkGradOutput(g: Conv2dGeometry, gradOutput: Tensor): void {
  checkRank(gradOutput, 4, 'NCHW', 'output gradient');
  const want = [g.n, g.cout, g.oh, g.ow];
  check(gradOutput.shape.every((d, i) => d === want[i]), 'shape',
    () => `output gradient has shape ${shapeText(gradOutput.shape)} but the output is ${shapeText(want)}`);
}

/**
 * The array a pass writes its result into: `into` when the caller gives one (a part of a shared result that a
 * team of threads fills, batch-team.ts), else a fresh or recycled one (floats).
 */
function output(into: Float32Array | undefined, length: number, zeroed: boolean): Float32Array {
  if (into === undefined) return floats(length, zeroed);
  check(into.length === length, 'shape', () => `the result takes ${length} values but the array given for it holds ${into.length}`);
  return zeroed ? into.fill(0) : into;
}

/** Input gradient of conv2d, d(Σ y·gradOutput)/dx: needs only the input's shape, not its values. `into` as for conv2d. */
export function conv2dInputGrad(inputShape: readonly number[], w: Tensor, gradOutput: Tensor, options: Conv2dOptions | Conv2dParams = {},
  into?: Float32Array): Tensor {
  const p = conv2dParams(options);
  checkRank(w, 4, 'OIHW', 'weight');
  const g = conv2dGeometry(inputShape, w.shape, p);
  checkGradOutput(g, gradOutput);
  const wd = p.flip ? rotate180(w.data, g.cout * g.cin, g.kh, g.kw) : w.data;
  const k = wasmKernels();
  const gx = output(into, g.n * g.cin * g.h * g.w, k === null || isTiny(g));
  if (isTiny(g)) inputGradTiny(g, wd, gradOutput.data, gx);
  else if (k !== null) inputGradWasm(k, g, wd, gradOutput.data, gx, useDirect(g, g.cin));
  else if (useWinograd(g, g.h, g.w) && g.ph <= 2 && g.pw <= 2) {
    if (Math.min(g.h, g.w) >= WINOGRAD4_SIDE) inputGradWinograd4(g, wd, gradOutput.data, gx);
    else inputGradWinograd(g, wd, gradOutput.data, gx);
  }
  else if (useDirect(g, g.cin)) inputGradDirect(g, wd, gradOutput.data, gx);
  else inputGradGemm(g, wd, gradOutput.data, gx);
  return { shape: [g.n, g.cin, g.h, g.w], data: gx };
}

/** Weight and bias gradients of conv2d, d(Σ y·gradOutput)/dw and /db: needs only the weight's shape. */
export function conv2dWeightGrad(x: Tensor, gradOutput: Tensor, weightShape: readonly number[], options: Conv2dOptions | Conv2dParams = {}): { gradWeight: Tensor; gradBias: Float32Array } {
  const p = conv2dParams(options);
  checkRank(x, 4, 'NCHW', 'input');
  const g = conv2dGeometry(x.shape, weightShape, p);
  checkGradOutput(g, gradOutput);
  const gy = gradOutput.data;
  const k = wasmKernels();
  const gw = floats(g.cout * g.cin * g.kh * g.kw, k === null || isTiny(g));
  const gb = new Float32Array(g.cout);
  if (!isTiny(g) && k !== null) weightGradWasm(k, g, x.data, gy, gw, gb, useDirect(g, g.cout));
  else {
    if (isTiny(g)) weightGradTiny(g, x.data, gy, gw);
    else if (useDirect(g, g.cout)) weightGradDirect(g, x.data, gy, gw);
    else weightGradGemm(g, x.data, gy, gw);
    biasGrad(g.n, g.cout, g.oh * g.ow, gy, gb);
  }
  return { gradWeight: { shape: [g.cout, g.cin, g.kh, g.kw], data: p.flip ? rotate180(gw, g.cout * g.cin, g.kh, g.kw, gw) : gw }, gradBias: gb };
}

/** Backward of conv2d: gradients of Σ y·gradOutput for input, weight and bias. */
export function conv2dBackward(x: Tensor, w: Tensor, gradOutput: Tensor, options: Conv2dOptions | Conv2dParams = {},
  needs: Conv2dNeeds = {}): Conv2dGrads {
  const p = conv2dParams(options);
  const g = prepare(x, w, null, p);
  checkGradOutput(g, gradOutput);
  const gradInput = needs.input ?? true ? conv2dInputGrad(x.shape, w, gradOutput, p) : { shape: [...x.shape], data: new Float32Array(x.data.length) };
  const wg = needs.weight ?? needs.bias ?? true ? conv2dWeightGrad(x, gradOutput, w.shape, p)
    : { gradWeight: { shape: [...w.shape], data: new Float32Array(w.data.length) }, gradBias: new Float32Array(g.cout) };
  if (!(needs.bias ?? true)) wg.gradBias.fill(0);
  if (!(needs.weight ?? true)) wg.gradWeight.data.fill(0);
  return { gradInput, gradWeight: wg.gradWeight, gradBias: wg.gradBias };
}

/**
 * Whether a pass takes the direct loops: when the call is tiny, or when the product's output rows (`rows`: Cout
 * for forward and weight gradient, Cin for the input gradient) are so few that im2col would copy each input value
 * more times than the product reuses it.
 */
function useDirect(g: Conv2dGeometry, rows: number): boolean {
  return rows <= DIRECT_ROWS || isTiny(g);
}

/**
 * Whether a 3×3, stride-1, dilation-1 pass takes Winograd, given the size of the map it writes (the output
 * forward, the input for the input gradient): F(4×4, 3×3) on maps at least WINOGRAD4_SIDE a side, F(2×2, 3×3)
 * on smaller ones (4×4 tiles would waste too much on the ragged edge). Below WINOGRAD_PAIRS channel pairs the
 * transforms cost more than the fewer multiply-adds save (each path timed against the others on the same calls).
 */
function useWinograd(g: Conv2dGeometry, mh: number, mw: number): boolean {
  return g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1 &&
    g.cin * g.cout >= WINOGRAD_PAIRS && mh >= WINOGRAD_SIDE && mw >= WINOGRAD_SIDE && !isTiny(g);
}

function isTiny(g: Conv2dGeometry): boolean {
  return g.n * g.cout * g.cin * g.kh * g.kw * g.oh * g.ow < DIRECT_MACS;
}

/** Thresholds for the direct path (measured with npm run bench). */
const DIRECT_ROWS = 2;
const DIRECT_MACS = 4096;
const WINOGRAD_PAIRS = 16;
const WINOGRAD_SIDE = 4;
const WINOGRAD4_SIDE = 7;
