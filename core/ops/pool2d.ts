/** Max and average 2-D pooling over NCHW maps, kernel/stride/padding per axis: forward and backward side by side. */
import { check } from '../errors';
import { checkFinite, checkRank, shapeText, type Tensor } from '../tensor';
import { pool2dBackwardWasm, pool2dWasm } from './pool2d-wasm';
import { wasmKernels } from './wasm/kernels';
import { floats } from './floats';
import { pool2dParams, pool2dShape, type Pool2dOptions, type Pool2dParams } from './pool2d-params';

export { pool2dParams, pool2dShape, type PoolMode, type Pool2dOptions, type Pool2dParams } from './pool2d-params';

/** Below this many window reads the loops here beat copying the maps into WebAssembly memory. */
const WASM_READS = 4096;

function wasmFor(cells: number, p: Pool2dParams) {
  return cells * p.kernel[0] * p.kernel[1] >= WASM_READS ? wasmKernels() : null;
}

/** Window [start, end) of output index `o` along one axis, clipped to the map. */
function span(o: number, s: number, p: number, k: number, n: number): [number, number] {
  const a = o * s - p;
  return [Math.max(a, 0), Math.min(a + k, n)];
}

/** Divisor of one average window: kh·kw when padded cells count, else the real cells in it. */
function divisor(p: Pool2dParams, y0: number, y1: number, x0: number, x1: number): number {
  return p.countIncludePad ? p.kernel[0] * p.kernel[1] : (y1 - y0) * (x1 - x0);
}

/** Windows that tile the map (stride = kernel, no padding: LeNet's 2×2/2): each input cell is in at most one. */
function tiled(p: Pool2dParams): boolean {
  return p.stride[0] === p.kernel[0] && p.stride[1] === p.kernel[1] && p.padding[0] === 0 && p.padding[1] === 0;
}

/** pool2d over tiling windows: no clipping, no padding, so no per-window bounds to work out. */
function forwardTiled(xd: Float32Array, y: Float32Array, planes: number, h: number, w: number, oh: number, ow: number,
  kh: number, kw: number, max: boolean): void {
  const area = kh * kw;
  if (kh === 2 && kw === 2 && max) {
    forwardMax2(xd, y, planes, h, w, oh, ow);
    return;
  }
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        const start = base + oy * kh * w + ox * kw;
        let m = max ? -Infinity : 0;
        for (let a = 0; a < kh; a++) {
          const row = start + a * w;
          for (let b = 0; b < kw; b++) {
            const v = xd[row + b];
            if (max) { if (v > m) m = v; } else m += v;
          }
        }
        y[o] = max ? m : m / area;
      }
    }
  }
}

/** 2×2 stride-2 max pooling (LeNet's), the four cells read by name. */
function forwardMax2(xd: Float32Array, y: Float32Array, planes: number, h: number, w: number, oh: number, ow: number): void {
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let oy = 0; oy < oh; oy++) {
      let a = plane * h * w + 2 * oy * w;
      for (let ox = 0; ox < ow; ox++, o++, a += 2) {
        const top = Math.max(xd[a], xd[a + 1]), bottom = Math.max(xd[a + w], xd[a + w + 1]);
        y[o] = Math.max(top, bottom);
      }
    }
  }
}

/** Backward of forwardMax2: the first largest cell in reading order gets the gradient (ties go to the earliest). */
function backwardMax2(xd: Float32Array, gy: Float32Array, gx: Float32Array, planes: number, h: number, w: number, oh: number, ow: number): void {
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let oy = 0; oy < oh; oy++) {
      let a = plane * h * w + 2 * oy * w;
      for (let ox = 0; ox < ow; ox++, o++, a += 2) {
        let best = a, m = xd[a];
        if (xd[a + 1] > m) { best = a + 1; m = xd[a + 1]; }
        if (xd[a + w] > m) { best = a + w; m = xd[a + w]; }
        if (xd[a + w + 1] > m) best = a + w + 1;
        gx[best] = gy[o];
      }
    }
  }
}

/** Backward of forwardTiled: max sends each gradient to its window's first largest cell, average spreads it evenly. */
function backwardTiled(xd: Float32Array, gy: Float32Array, gx: Float32Array, planes: number, h: number, w: number, oh: number, ow: number,
  kh: number, kw: number, max: boolean): void {
  const area = kh * kw;
  if (kh === 2 && kw === 2 && max) {
    backwardMax2(xd, gy, gx, planes, h, w, oh, ow);
    return;
  }
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        const start = base + oy * kh * w + ox * kw;
        if (max) {
          let best = start, m = xd[start];
          for (let a = 0; a < kh; a++) {
            const row = start + a * w;
            for (let b = 0; b < kw; b++) if (xd[row + b] > m) { m = xd[row + b]; best = row + b; }
          }
          gx[best] = gy[o];
        } else {
          const share = gy[o] / area;
          for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) gx[start + a * w + b] = share;
        }
      }
    }
  }
}

/**
 * pool2d: each output cell is the max (padding counts as −∞) or the mean of its window, floor mode.
 * Max pooling of 0..8 as 3×3 with a 2×2 window → [[4,5],[7,8]] (d2l 5.4.1).
 */
export function pool2d(x: Tensor, options: Pool2dOptions | Pool2dParams): Tensor {
  const p = pool2dParams(options);
  checkRank(x, 4, 'NCHW', 'input');
  checkFinite(x.data, 'input');
  const [n, c, oh, ow] = pool2dShape(x.shape, p);
  const h = x.shape[2], w = x.shape[3];
  const [kh, kw] = p.kernel, [sh, sw] = p.stride, [ph, pw] = p.padding;
  const y = floats(n * c * oh * ow);
  const k = wasmFor(y.length, p);
  if (k !== null) {
    pool2dWasm(k, x.shape, x.data, oh, ow, p, y);
    return { shape: [n, c, oh, ow], data: y };
  }
  const xd = x.data;
  if (tiled(p)) {
    forwardTiled(xd, y, n * c, h, w, oh, ow, kh, kw, p.mode === 'max');
    return { shape: [n, c, oh, ow], data: y };
  }
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1] = span(oy, sh, ph, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const [x0, x1] = span(ox, sw, pw, kw, w);
        if (p.mode === 'max') {
          let m = -Infinity;
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) m = Math.max(m, xd[base + iy * w + ix]);
          y[o++] = m;
        } else {
          let s = 0;
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += xd[base + iy * w + ix];
          y[o++] = s / divisor(p, y0, y1, x0, x1);
        }
      }
    }
  }
  return { shape: [n, c, oh, ow], data: y };
}

/**
 * Backward of pool2d: max routes each output gradient to its window's (first) largest cell; average spreads it
 * evenly over the window's real cells, each getting gradient / divisor.
 */
export function pool2dBackward(x: Tensor, gradOutput: Tensor, options: Pool2dOptions | Pool2dParams): Tensor {
  const p = pool2dParams(options);
  checkRank(x, 4, 'NCHW', 'input');
  const want = pool2dShape(x.shape, p);
  check(gradOutput.shape.length === 4 && gradOutput.shape.every((d, i) => d === want[i]), 'shape',
    () => `output gradient has shape ${shapeText(gradOutput.shape)} but the output is ${shapeText(want)}`);
  const [n, c, oh, ow] = want;
  const h = x.shape[2], w = x.shape[3];
  const [kh, kw] = p.kernel, [sh, sw] = p.stride, [ph, pw] = p.padding;
  const k = wasmFor(gradOutput.data.length, p);
  if (k !== null) {
    const out = floats(x.data.length);
    pool2dBackwardWasm(k, x.shape, x.data, gradOutput.data, oh, ow, p, out);
    return { shape: [...x.shape], data: out };
  }
  const xd = x.data, gy = gradOutput.data;
  if (tiled(p)) {
    const g = floats(xd.length);
    backwardTiled(xd, gy, g, n * c, h, w, oh, ow, kh, kw, p.mode === 'max');
    return { shape: [...x.shape], data: g };
  }
  const gx = new Float64Array(x.data.length);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1] = span(oy, sh, ph, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const [x0, x1] = span(ox, sw, pw, kw, w);
        const d = gy[o++];
        if (p.mode === 'max') {
          let best = -1, m = -Infinity;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const i = base + iy * w + ix;
              if (xd[i] > m || best < 0) { m = xd[i]; best = i; }
            }
          }
          gx[best] += d;
        } else {
          const share = d / divisor(p, y0, y1, x0, x1);
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) gx[base + iy * w + ix] += share;
        }
      }
    }
  }
  return { shape: [...x.shape], data: Float32Array.from(gx) };
}
