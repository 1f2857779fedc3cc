/**
 * conv2d's passes on the WebAssembly SIMD kernels: copies the operands into the module's memory, runs the pass
 * there, copies the result out. The tap loops (wasm/taps*.as.ts, no im2col) take a forward with a multiple of 8
 * output channels and most stride-1-across passes; the rest take the panels (wasm/conv2d.as.ts, im2col and the
 * packed product) or the direct loops. Same routing as
 * conv2d-gemm.ts, whose TypeScript stays the readable definition: the stride-1 input gradient is a forward pass
 * with the kernel rotated and its channel axes swapped; other strides go through Wᵀ·gy and col2im.
 */
import type { Conv2dGeometry } from './conv2d-geometry';
import { arenaFor } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';
import { floats } from './floats';
import { checkFinite } from '../tensor';
import { bySmallMap, forwardSmallMap } from './conv2d-small-map';

function setGeometry(k: WasmKernels, s: Conv2dGeometry): void {
  k.setGeometry(s.n, s.cin, s.h, s.w, s.cout, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, s.dh, s.dw, s.oh, s.ow);
}

/**
 * y = conv(x, w) + bias over the whole batch; `w` OIHW (already rotated for true convolution). The tap loops where
 * byTaps says; else `direct` (few output channels, see conv2d-route.ts's useDirect) takes the padded-plane loops
 * instead of 4-row panels.
 */
/**
 * Output columns per tile of the tap loops (taps.as.ts): the forward's tile is 16 columns wide (32 for a single
 * output channel), the weight gradient's step 4. Rows are rounded up to whole tiles, so below TAPS_MIN_USE of them
 * in use the panels take the pass (a 7-wide map would waste more than half of each forward tile).
 */
const WEIGHT_GRAD_COLS = 4, TAPS_MIN_USE = 0.6;
const forwardCols = (s: Conv2dGeometry) => s.cout === 1 ? 32 : 16;

let tapsAllowed = true;

/**
 * Lets tests switch the tap loops off, so the panel kernels are checked on the shapes the taps would take.
 * Returns the previous setting.
 */
export function allowTaps(on: boolean): boolean {
  const was = tapsAllowed;
  tapsAllowed = on;
  return was;
}

/**
 * Whether a pass takes the tap loops: stride 1 across (their f32x4 reads neighbouring input columns) and rows that
 * fill their tiles well. Timed against the panels (im2col and the packed product) and the direct loops on S2–S5,
 * the two interleaved in one process: the taps matched or beat them on every pass (S5's within the noise) and ran
 * LeNet's 1→6 conv (S4a) 2–3× faster.
 */
function byTaps(s: Conv2dGeometry, cols: number): boolean {
  return tapsAllowed && s.sw === 1 && s.ow >= TAPS_MIN_USE * Math.ceil(s.ow / cols) * cols;
}

/**
 * Whether an input gradient that the rotated-kernel forward would not take (a map much larger than the output
 * gradient, as in LeNet's valid 5×5 conv) takes the input-gradient tap loops: stride 1 both ways, and output rows
 * that fill most of the padded input's width (the loops run over rows that wide, zeros past the output's columns).
 */
function inputGradByTaps(s: Conv2dGeometry): boolean {
  return tapsAllowed && s.sh === 1 && s.sw === 1 && s.oh * s.ow >= TAPS_MIN_USE * Math.ceil(s.oh * (s.w + 2 * s.pw) / 16) * 16;
}

/**
 * Deepest forward product (Cin·KH·KW) the tap loops take. Deeper ones (VGG's and ResNet's 3×3 convolutions from 64
 * channels on) take the panels: the taps re-read every padded input plane for each pair of output channels, from
 * beyond L2 once the planes outgrow it, while the panels' product goes a depth slice at a time out of L2. Timed in
 * CPU time on one image (taps against panels): 64→64 at 24×24 1.2 against 1.0 ms, 256→256 at 56×56 112 against
 * 85 ms, 512→512 at 28×28 118 against 89 ms; the route depends on the weights' shape alone, never the map's size.
 */
const TAPS_MAX_DEPTH = 512;

/**
 * Whether a 1×1 stride-1 unpadded forward of at least 64 input channels takes the panels, whose product reads the
 * input in place. Timed in CPU time on one image (tap or lane loops against panels): NiN's 96→96 at 54×54 2.7
 * against 1.8 ms, GoogLeNet's 480→192 at 12×12 1.0 against 0.7, 256→256 at 26×26 and 192→64 at 24×24 level.
 */
function pointwiseOnPanels(s: Conv2dGeometry): boolean {
  return s.kh === 1 && s.kw === 1 && s.sh === 1 && s.sw === 1 && s.ph === 0 && s.pw === 0 && s.cin >= 64;
}

/** Weights (floats) up to which the lanes-over-channels forward keeps them in L2 while it walks the positions. */
const LANES_MAX_WEIGHTS = 32768;

/**
 * Whether the forward takes the tap loops with the lanes over output channels (forwardTapsLanes): Cout a multiple
 * of 8, any stride, weights small enough to stay in cache while each group of four positions reads all of them.
 * Timed as for byTaps: LeNet's second conv (S4b, 10-wide output) 1.6× the column tiles, S5 and S3's input gradient
 * about 1.1×, S3's forward level.
 */
function byLanes(s: Conv2dGeometry): boolean {
  return tapsAllowed && s.cout % 8 === 0 && s.cout * s.cin * s.kh * s.kw <= LANES_MAX_WEIGHTS;
}

/**
 * Whether the weight gradient takes the tap loops with lanes over output channels: Cout a multiple of 8, where the
 * column loops would spend more than a tenth of their steps on padding columns (a stride-1 map walked in rows as
 * wide as its padded plane; LeNet's second conv: 10 of 14) or cannot run (stride across). On wide maps (S3, S5)
 * the column loops stay: the lanes' transposed copy of gy would not stay in cache.
 */
function weightGradByLanes(s: Conv2dGeometry): boolean {
  const width = s.sh === 1 ? s.w + 2 * s.pw : Math.ceil(s.ow / WEIGHT_GRAD_COLS) * WEIGHT_GRAD_COLS;
  return tapsAllowed && s.cout % 8 === 0 && (s.sw !== 1 || s.ow < 0.9 * width);
}

/** Which WebAssembly loops a forward pass of this shape takes (`direct` as conv2d decides it). */
export function forwardWasmRoute(s: Conv2dGeometry, direct: boolean): 'small' | 'lanes' | 'taps' | 'direct' | 'gemm' {
  if (bySmallMap(s)) return 'small';
  if (!direct && pointwiseOnPanels(s)) return 'gemm';
  if (byLanes(s)) return 'lanes';
  if (byTaps(s, forwardCols(s)) && s.cin * s.kh * s.kw <= TAPS_MAX_DEPTH) return 'taps';
  return direct ? 'direct' : 'gemm';
}

export function forwardWasm(k: WasmKernels, s: Conv2dGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
  direct: boolean, checkInput = false): void {
  const route = forwardWasmRoute(s, direct);
  if (route === 'small') {
    if (checkInput) checkFinite(x, 'input');
    forwardSmallMap(k, s, x, w, bias, y);
    return;
  }
  const a = arenaFor(k);
  setGeometry(k, s);
  const px = a.put(x);
  // checkFinite names the culprit (and throws) once the scan in the module has found there is one.
  if (checkInput && !k.allFinite(px, x.length)) checkFinite(x, 'input');
  const pw = a.put(w), pb = bias === null ? 0 : a.put(bias);
  const py = a.take(y.length);
  const scratch = a.take(route === 'lanes' ? k.forwardTapsLanesScratch() : route === 'taps' ? k.tapsScratch() : route === 'direct' ? k.directScratch() : k.forwardScratch());
  if (route === 'lanes') k.forwardTapsLanes(px, pw, pb, py, scratch);
  else if (route === 'taps') k.forwardTaps(px, pw, pb, py, scratch);
  else if (route === 'direct') k.forwardDirect(px, pw, pb, py, scratch);
  else k.forward(px, pw, pb, py, scratch);
  y.set(a.view(py, y.length));
}

/** Weight gradient gw[co, k] = Σ gy·patch, and the bias gradient gb[co] = Σ gy from the same copy of gy. */
export function weightGradWasm(k: WasmKernels, s: Conv2dGeometry, x: Float32Array, gy: Float32Array, gw: Float32Array, gb: Float32Array,
  direct: boolean): void {
  const a = arenaFor(k);
  setGeometry(k, s);
  const lanes = weightGradByLanes(s), taps = !lanes && byTaps(s, WEIGHT_GRAD_COLS);
  const px = a.put(x), pg = a.put(gy), pw = a.take(gw.length), pb = a.take(gb.length);
  const scratch = a.take(lanes ? k.weightGradTapsLanesScratch() : taps ? k.tapsScratch() : direct ? k.directScratch() : k.weightGradScratch());
  if (lanes) k.weightGradTapsLanes(px, pg, pw, scratch);
  else if (taps) k.weightGradTaps(px, pg, pw, scratch);
  else if (direct) k.weightGradDirect(px, pg, pw, scratch);
  else k.weightGrad(px, pg, pw, scratch);
  k.biasGrad(pg, pb);
  gw.set(a.view(pw, gw.length));
  gb.set(a.view(pb, gb.length));
}

/** Input gradient gx = d(Σ y·gy)/dx; `direct` as for forwardWasm, with the input's channels as the rows. */
export function inputGradWasm(k: WasmKernels, s: Conv2dGeometry, w: Float32Array, gy: Float32Array, gx: Float32Array, direct: boolean): void {
  const { cin, cout, kh, kw } = s;
  const khw = kh * kw;
  if (s.sh === 1 && s.sw === 1 && s.h * s.w <= 1.3 * s.oh * s.ow) {
    // The kernel rotated 180° with its channel axes swapped: a forward pass over gy gives gx.
    const wt = floats(cin * cout * khw);
    for (let co = 0; co < cout; co++) {
      for (let ci = 0; ci < cin; ci++) {
        const src = (co * cin + ci) * khw, dst = (ci * cout + co) * khw;
        for (let i = 0; i < khw; i++) wt[dst + i] = w[src + khw - 1 - i];
      }
    }
    forwardWasm(k, {
      n: s.n, cin: cout, h: s.oh, w: s.ow, cout: cin, oh: s.h, ow: s.w, kh, kw, sh: 1, sw: 1,
      ph: s.dh * (kh - 1) - s.ph, pw: s.dw * (kw - 1) - s.pw, dh: s.dh, dw: s.dw,
    }, gy, wt, null, gx, direct);
    return;
  }
  const a = arenaFor(k);
  setGeometry(k, s);
  const taps = inputGradByTaps(s);
  const pw = a.put(w), pg = a.put(gy), px = a.take(gx.length);
  const scratch = a.take(taps ? k.inputGradTapsScratch() : k.inputGradScratch());
  if (taps) k.inputGradTaps(pw, pg, px, scratch);
  else k.inputGrad(pw, pg, px, scratch);
  gx.set(a.view(px, gx.length));
}

