/** 2-D cross-correlation and convolution over NCHW batches with OIHW kernels: forward and backward side by side. */
import { check } from '../errors';
import { checkFinite, checkRank, shapeText, type Tensor } from '../tensor';
import { biasGrad, forwardDirect, forwardTiny, inputGradDirect, inputGradTiny, weightGradDirect, weightGradTiny } from './conv2d-direct';
import { forwardGemm, inputGradGemm, weightGradGemm } from './conv2d-gemm';
import { conv2dGeometry, conv2dParams, type Conv2dGeometry, type Conv2dOptions, type Conv2dParams } from './conv2d-geometry';
import { conv2dInputGradRoute, conv2dRoute, conv2dWeightGradRoute, useDirect } from './conv2d-route';
import { forwardWasm, inputGradWasm, weightGradWasm } from './conv2d-wasm';
import { forwardWinograd, inputGradWinograd } from './conv2d-winograd';
import { wasmKernels } from './wasm/kernels';
import { floats } from './floats';
import { channelPlace, channelSlice, checkGroups, groupsOf, weightSlice } from './conv2d-groups';

export { conv2dGeometry, conv2dParams, type Conv2dGeometry, type Conv2dOptions, type Conv2dParams } from './conv2d-geometry';
export { conv2dForwardRoute, conv2dRoute, conv2dWindowRule, type Conv2dRoute, type Conv2dWindowRule } from './conv2d-route';

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
  const groups = groupsOf(options);
  if (groups > 1) return conv2dGrouped(x, w, bias, options, groups, into);
  const p = conv2dParams(options);
  const g = prepare(x, w, bias, p);
  const k = wasmKernels();
  const route = conv2dRoute(g);
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
  else if (route === 'winograd4') forwardWinograd(4, g, x.data, wd, bias, y);
  else if (route === 'winograd2') forwardWinograd(2, g, x.data, wd, bias, y);
  else if (route === 'direct') forwardDirect(g, x.data, wd, bias, y);
  else forwardGemm(g, x.data, wd, bias, y);
  return { shape: [g.n, g.cout, g.oh, g.ow], data: y };
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
  const groups = groupsOf(options);
  if (groups > 1) return inputGradGrouped(inputShape, w, gradOutput, options, groups, into);
  const p = conv2dParams(options);
  checkRank(w, 4, 'OIHW', 'weight');
  const g = conv2dGeometry(inputShape, w.shape, p);
  checkGradOutput(g, gradOutput);
  const wd = p.flip ? rotate180(w.data, g.cout * g.cin, g.kh, g.kw) : w.data;
  const k = wasmKernels();
  const route = conv2dInputGradRoute(g);
  const gx = output(into, g.n * g.cin * g.h * g.w, route !== 'wasm');
  if (route === 'tiny') inputGradTiny(g, wd, gradOutput.data, gx);
  else if (k !== null) inputGradWasm(k, g, wd, gradOutput.data, gx, useDirect(g, g.cin));
  else if (route === 'winograd4') inputGradWinograd(4, g, wd, gradOutput.data, gx);
  else if (route === 'winograd2') inputGradWinograd(2, g, wd, gradOutput.data, gx);
  else if (route === 'direct') inputGradDirect(g, wd, gradOutput.data, gx);
  else inputGradGemm(g, wd, gradOutput.data, gx);
  return { shape: [g.n, g.cin, g.h, g.w], data: gx };
}

/** Weight and bias gradients of conv2d, d(Σ y·gradOutput)/dw and /db: needs only the weight's shape. */
export function conv2dWeightGrad(x: Tensor, gradOutput: Tensor, weightShape: readonly number[], options: Conv2dOptions | Conv2dParams = {}): { gradWeight: Tensor; gradBias: Float32Array } {
  const groups = groupsOf(options);
  if (groups > 1) return weightGradGrouped(x, gradOutput, weightShape, options, groups);
  const p = conv2dParams(options);
  checkRank(x, 4, 'NCHW', 'input');
  const g = conv2dGeometry(x.shape, weightShape, p);
  checkGradOutput(g, gradOutput);
  const gy = gradOutput.data;
  const k = wasmKernels();
  const route = conv2dWeightGradRoute(g);
  const gw = floats(g.cout * g.cin * g.kh * g.kw, route !== 'wasm');
  const gb = new Float32Array(g.cout);
  if (route === 'wasm' && k !== null) weightGradWasm(k, g, x.data, gy, gw, gb, useDirect(g, g.cout));
  else {
    if (route === 'tiny') weightGradTiny(g, x.data, gy, gw);
    else if (route === 'direct') weightGradDirect(g, x.data, gy, gw);
    else weightGradGemm(g, x.data, gy, gw);
    biasGrad(g.n, g.cout, g.oh * g.ow, gy, gb);
  }
  return { gradWeight: { shape: [g.cout, g.cin, g.kh, g.kw], data: p.flip ? rotate180(gw, g.cout * g.cin, g.kh, g.kw, gw) : gw }, gradBias: gb };
}

/** Backward of conv2d: gradients of Σ y·gradOutput for input, weight and bias. */
export function conv2dBackward(x: Tensor, w: Tensor, gradOutput: Tensor, options: Conv2dOptions | Conv2dParams = {},
  needs: Conv2dNeeds = {}): Conv2dGrads {
  const groups = groupsOf(options);
  // A grouped call keeps its options (the passes split it) and is checked group by group inside them.
  const p = groups > 1 ? options : conv2dParams(options);
  if (groups > 1) {
    checkRank(x, 4, 'NCHW', 'input');
    checkRank(w, 4, 'OIHW', 'weight');
    checkGroups(groups, x.shape, w.shape);
  } else checkGradOutput(prepare(x, w, null, conv2dParams(options)), gradOutput);
  const cout = w.shape[0];
  const gradInput = needs.input ?? true ? conv2dInputGrad(x.shape, w, gradOutput, p) : { shape: [...x.shape], data: new Float32Array(x.data.length) };
  const wg = needs.weight ?? needs.bias ?? true ? conv2dWeightGrad(x, gradOutput, w.shape, p)
    : { gradWeight: { shape: [...w.shape], data: new Float32Array(w.data.length) }, gradBias: new Float32Array(cout) };
  if (!(needs.bias ?? true)) wg.gradBias.fill(0);
  if (!(needs.weight ?? true)) wg.gradWeight.data.fill(0);
  return { gradInput, gradWeight: wg.gradWeight, gradBias: wg.gradBias };
}

/** Each group's channels as an ordinary call (conv2d-groups.ts): the options without `groups`. */
function oneGroup(options: Conv2dOptions | Conv2dParams): Conv2dOptions {
  return { ...options, groups: 1 };
}

/** conv2d with `groups` > 1: group g's output channels from its input channels and its own kernels. */
function conv2dGrouped(x: Tensor, w: Tensor, bias: Float32Array | null, options: Conv2dOptions | Conv2dParams, groups: number,
  into?: Float32Array): Tensor {
  checkRank(x, 4, 'NCHW', 'input');
  checkRank(w, 4, 'OIHW', 'weight');
  checkGroups(groups, x.shape, w.shape);
  const ci = x.shape[1] / groups, co = w.shape[0] / groups;
  let y: Tensor | null = null;
  for (let g = 0; g < groups; g++) {
    const part = conv2d(channelSlice(x, g * ci, ci), weightSlice(w, g * co, co), bias === null ? null : bias.subarray(g * co, (g + 1) * co), oneGroup(options));
    const [n, , oh, ow] = part.shape;
    y ??= { shape: [n, w.shape[0], oh, ow], data: output(into, n * w.shape[0] * oh * ow, false) };
    channelPlace(y.data, w.shape[0], part, g * co);
  }
  return y!;
}

function inputGradGrouped(inputShape: readonly number[], w: Tensor, gradOutput: Tensor, options: Conv2dOptions | Conv2dParams, groups: number,
  into?: Float32Array): Tensor {
  checkRank(w, 4, 'OIHW', 'weight');
  checkGroups(groups, inputShape, w.shape);
  const [n, cin, h, iw] = inputShape, ci = cin / groups, co = w.shape[0] / groups;
  const gx = output(into, n * cin * h * iw, false);
  for (let g = 0; g < groups; g++) {
    const part = conv2dInputGrad([n, ci, h, iw], weightSlice(w, g * co, co), channelSlice(gradOutput, g * co, co), oneGroup(options));
    channelPlace(gx, cin, part, g * ci);
  }
  return { shape: [n, cin, h, iw], data: gx };
}

function weightGradGrouped(x: Tensor, gradOutput: Tensor, weightShape: readonly number[], options: Conv2dOptions | Conv2dParams,
  groups: number): { gradWeight: Tensor; gradBias: Float32Array } {
  checkRank(x, 4, 'NCHW', 'input');
  checkGroups(groups, x.shape, weightShape);
  const ci = x.shape[1] / groups, cout = weightShape[0], co = cout / groups, per = weightShape.slice(1).reduce((a, b) => a * b, 1);
  const gw = new Float32Array(cout * per), gb = new Float32Array(cout);
  for (let g = 0; g < groups; g++) {
    const r = conv2dWeightGrad(channelSlice(x, g * ci, ci), channelSlice(gradOutput, g * co, co), [co, ...weightShape.slice(1)], oneGroup(options));
    gw.set(r.gradWeight.data, g * co * per);
    gb.set(r.gradBias, g * co);
  }
  return { gradWeight: { shape: [...weightShape], data: gw }, gradBias: gb };
}
