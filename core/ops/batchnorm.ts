/**
 * Batch normalisation as the book's 5.10 `batch_norm`: forward and backward side by side. A 4-D input (N,C,H,W) is
 * normalised per channel over its N·H·W values, a 2-D input (N,C) per feature over its N values. The loops here
 * are the definition; where WebAssembly SIMD runs, its twins (batchnorm-wasm.ts) do the same sums and arithmetic.
 */
import { check } from '../errors';
import { shapeText, type Tensor } from '../tensor';
import { BatchNormBackwardWasm, BatchNormForwardWasm } from './batchnorm-wasm';
import { floats } from './floats';
import { wasmKernels } from './wasm/kernels';

export type BatchNormMode = 'train' | 'predict';

/**
 * How a batch split over threads gets the whole batch's sums (synchronised batch norm): each thread passes its
 * own slice's per-channel sums and gets the sums over every slice, the same on every thread. Train mode calls it
 * once in the forward and once in the backward, in the same order on every thread (each call waits for every
 * thread). One thread's batch is the whole batch: ONE_THREAD returns its sums as they are.
 */
export interface BatchStatsExchange {
  total(sums: Float64Array): Float64Array;
}

export const ONE_THREAD: BatchStatsExchange = { total: (sums) => sums };

/** The statistics one forward pass used, kept for its backward: per channel, the mean and 1/sqrt(var + eps). */
export interface BatchNormSaved {
  mode: BatchNormMode;
  mean: Float64Array;
  /** The batch variance (biased, two-pass) in train mode; the moving variance in predict mode. */
  variance: Float64Array;
  invStd: Float64Array;
  /** Values per channel over the whole batch (every thread's slice, in train mode). */
  count: number;
  /** Where the backward gets the whole batch's gradient sums (the forward's exchange). */
  exchange: BatchStatsExchange;
}

/** Channels, and values per channel per sample (H·W for 4-D, 1 for 2-D). */
function layout(x: Tensor, c: number): [number, number, number] {
  check(x.shape.length === 2 || x.shape.length === 4, 'shape',
    () => `batch norm input must be N×C or N×C×H×W, got ${shapeText(x.shape)}`);
  check(x.shape[1] === c, 'shape', () => `batch norm has ${c} channels but the input has ${x.shape[1]}`);
  const inner = x.shape.length === 4 ? x.shape[2] * x.shape[3] : 1;
  return [x.shape[0], c, inner];
}

/**
 * y = γ·(x − μ)/sqrt(σ² + eps) + β. Train mode takes μ and σ² (biased, two-pass: mean((x − μ)²)) from the batch,
 * the whole batch's through `exchange` when `x` is one thread's slice of it; predict mode from the moving
 * statistics. Statistics are summed in double precision.
 */
export function batchNorm(x: Tensor, gamma: Float32Array, beta: Float32Array, movingMean: Float32Array, movingVar: Float32Array,
  mode: BatchNormMode, eps: number, exchange: BatchStatsExchange = ONE_THREAD): { y: Tensor; saved: BatchNormSaved } {
  const c = gamma.length;
  check(beta.length === c && movingMean.length === c && movingVar.length === c, 'shape',
    () => `batch norm's gamma, beta and moving statistics must each hold ${c} values`);
  const [n, , inner] = layout(x, c);
  const xd = x.data;
  const mean = new Float64Array(c), variance = new Float64Array(c), invStd = new Float64Array(c);
  let count = n * inner;
  const k = wasmKernels();
  const wasm = k === null ? null : new BatchNormForwardWasm(k, xd, { n, c, inner });
  if (mode === 'train') {
    const totals = exchange.total(wasm === null ? channelSums(xd, n, c, inner, count) : wasm.sums(count));
    count = totals[3 * c];
    for (let ch = 0; ch < c; ch++) {
      const s = totals[ch];
      mean[ch] = s / count;
      variance[ch] = (totals[c + ch] + (totals[2 * c + ch] - (s * s) / count)) / count;
    }
  } else {
    for (let ch = 0; ch < c; ch++) { mean[ch] = movingMean[ch]; variance[ch] = movingVar[ch]; }
  }
  for (let ch = 0; ch < c; ch++) invStd[ch] = 1 / Math.sqrt(variance[ch] + eps);
  // y = (x − μ)·k + β per channel, k = γ/sqrt(σ² + eps), in double precision and rounded once.
  const scale = Float64Array.from(gamma, (v, ch) => v * invStd[ch]), shift = Float64Array.from(beta);
  const y = wasm === null ? normalise(xd, n, c, inner, mean, scale, shift) : wasm.normalise(mean, scale, shift);
  return { y: { shape: [...x.shape], data: y }, saved: { mode, mean, variance, invStd, count, exchange } };
}

/**
 * Per channel, this slice's Σx, its Σ(x − its own mean)² and (Σx)²/count, then its value count: one exchange
 * gives the batch's mean and two-pass variance (Chan et al.'s pairwise update, Σ over slices of
 * M2ᵢ + nᵢ·mᵢ² − n·m²). On one thread the last two terms are the same product, so the variance is the plain
 * two-pass one, bit for bit. The definition of wasm/batchnorm.as.ts's batchNormStats.
 */
function channelSums(xd: Float32Array, n: number, c: number, inner: number, count: number): Float64Array {
  const sums = new Float64Array(3 * c + 1);
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) {
      const o = (b * c + ch) * inner;
      for (let i = 0; i < inner; i++) s += xd[o + i];
    }
    const m = s / count;
    let v = 0;
    for (let b = 0; b < n; b++) {
      const o = (b * c + ch) * inner;
      for (let i = 0; i < inner; i++) {
        const d = xd[o + i] - m;
        v += d * d;
      }
    }
    sums[ch] = s;
    sums[c + ch] = v;
    sums[2 * c + ch] = (s * s) / count;
  }
  sums[3 * c] = count;
  return sums;
}

/** y = (x − mean)·scale + shift per channel; the definition of batchNormApply. */
function normalise(xd: Float32Array, n: number, c: number, inner: number, mean: Float64Array, scale: Float64Array,
  shift: Float64Array): Float32Array {
  const y = floats(xd.length, false);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const o = (b * c + ch) * inner, m = mean[ch], k = scale[ch], bt = shift[ch];
      for (let i = 0; i < inner; i++) y[o + i] = (xd[o + i] - m) * k + bt;
    }
  }
  return y;
}

/** moving ← momentum·moving + (1 − momentum)·batch statistic, for the mean and the (biased) variance, in place. */
export function updateMovingStats(saved: BatchNormSaved, movingMean: Float32Array, movingVar: Float32Array, momentum: number): void {
  for (let ch = 0; ch < movingMean.length; ch++) {
    movingMean[ch] = momentum * movingMean[ch] + (1 - momentum) * saved.mean[ch];
    movingVar[ch] = momentum * movingVar[ch] + (1 - momentum) * saved.variance[ch];
  }
}

/**
 * Backward of batchNorm, through the batch statistics in train mode:
 * dx = γ/sqrt(σ² + eps)·(G − mean(G) − x̂·mean(G·x̂)); in predict mode dx = G·γ/sqrt(moving_var + eps).
 * dγ = Σ G·x̂, dβ = Σ G over `x`'s own samples (a split batch's slices add theirs up later, like every parameter's);
 * the means in dx are the whole batch's, through the forward's exchange.
 */
export function batchNormBackward(x: Tensor, gamma: Float32Array, saved: BatchNormSaved, gradOutput: Tensor):
  { gradInput: Tensor; gradGamma: Float32Array; gradBeta: Float32Array } {
  const c = gamma.length;
  const [n, , inner] = layout(x, c);
  const xd = x.data, g = gradOutput.data;
  const k = wasmKernels();
  const wasm = k === null ? null : new BatchNormBackwardWasm(k, xd, g, { n, c, inner });
  const sums = wasm === null ? gradSums(xd, g, n, c, inner, saved.mean, saved.invStd) : wasm.sums(saved.mean, saved.invStd);
  const gGamma = Float32Array.from(sums.subarray(c)), gBeta = Float32Array.from(sums.subarray(0, c));
  const totals = saved.mode === 'train' ? saved.exchange.total(sums) : sums;
  const scale = Float64Array.from(gamma, (v, ch) => v * saved.invStd[ch]);
  let gx: Float32Array;
  if (wasm !== null) {
    // Predict mode's scale·G is train mode's formula with both means zero.
    const train = saved.mode === 'train';
    const mg = Float64Array.from({ length: c }, (_, ch) => (train ? totals[ch] / saved.count : 0));
    const mgx = Float64Array.from({ length: c }, (_, ch) => (train ? totals[c + ch] / saved.count : 0));
    gx = wasm.gradInput(saved.mean, saved.invStd, scale, mg, mgx);
  } else {
    gx = gradInput(xd, g, n, c, inner, saved, scale, totals);
  }
  return { gradInput: { shape: [...x.shape], data: gx }, gradGamma: gGamma, gradBeta: gBeta };
}

/** ΣG per channel, then ΣG·x̂ per channel; the definition of batchNormGradSums. */
function gradSums(xd: Float32Array, g: Float32Array, n: number, c: number, inner: number, mean: Float64Array,
  invStd: Float64Array): Float64Array {
  const sums = new Float64Array(2 * c);
  for (let ch = 0; ch < c; ch++) {
    const m = mean[ch], is = invStd[ch];
    let sg = 0, sgx = 0;
    for (let b = 0; b < n; b++) {
      const o = (b * c + ch) * inner;
      for (let i = 0; i < inner; i++) {
        sg += g[o + i];
        sgx += g[o + i] * (xd[o + i] - m) * is;
      }
    }
    sums[ch] = sg;
    sums[c + ch] = sgx;
  }
  return sums;
}

/** The input gradient from the whole batch's sums `totals`; the definition of batchNormGradInput. */
function gradInput(xd: Float32Array, g: Float32Array, n: number, c: number, inner: number, saved: BatchNormSaved,
  scale: Float64Array, totals: Float64Array): Float32Array {
  const gx = floats(xd.length, false);
  for (let ch = 0; ch < c; ch++) {
    const m = saved.mean[ch], is = saved.invStd[ch], k = scale[ch];
    if (saved.mode === 'train') {
      const mg = totals[ch] / saved.count, mgx = totals[c + ch] / saved.count;
      for (let b = 0; b < n; b++) {
        const o = (b * c + ch) * inner;
        for (let i = 0; i < inner; i++) gx[o + i] = k * (g[o + i] - mg - (xd[o + i] - m) * is * mgx);
      }
    } else {
      for (let b = 0; b < n; b++) {
        const o = (b * c + ch) * inner;
        for (let i = 0; i < inner; i++) gx[o + i] = k * g[o + i];
      }
    }
  }
  return gx;
}
