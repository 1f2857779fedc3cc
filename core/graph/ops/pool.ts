/**
 * MaxPool and AveragePool with asymmetric pads, ceil_mode, dilations (max) and count_include_pad (average), and the
 * global poolings. Written here rather than on core's pool2d, which keeps the book's symmetric, floor-mode windows.
 */
import { ConvLabError } from '../../errors';
import { sizeOf, type Tensor } from '../../tensor';
import { intAttr } from './attrs';
import type { GraphOp, GraphWindow, OpContext } from './graph-op';
import { ceilMode, windowOf, windowShape } from './window';

function checkRank4(x: readonly number[], op: string): void {
  if (x.length !== 4) throw new ConvLabError('shape', `${op} runs on NCHW tensors (rank 4), got ${x.join('×')}`);
}

function pool(x: Tensor, win: GraphWindow, out: [number, number], max: boolean, includePad: boolean): Tensor {
  const [n, c, h, w] = x.shape;
  const [oh, ow] = out;
  const y = new Float32Array(n * c * oh * ow);
  const [kh, kw] = win.kernel, [sh, sw] = win.stride, [dh, dw] = win.dilation, [pt, pl, pb, pr] = win.pads;
  for (let p = 0; p < n * c; p++) {
    const plane = x.data.subarray(p * h * w, (p + 1) * h * w);
    for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
      const y0 = oy * sh - pt, x0 = ox * sw - pl;
      let acc = max ? -Infinity : 0, cells = 0;
      for (let ky = 0; ky < kh; ky++) {
        const iy = y0 + ky * dh;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = x0 + kx * dw;
          if (ix < 0 || ix >= w) continue;
          const v = plane[iy * w + ix];
          if (max) { if (v > acc) acc = v; } else acc += v;
          cells++;
        }
      }
      // With pads counted, the divisor is the window clipped to the padded input (PyTorch's and ONNX's rule).
      const padded = (Math.min(y0 + kh, h + pb) - Math.max(y0, -pt)) * (Math.min(x0 + kw, w + pr) - Math.max(x0, -pl));
      y[(p * oh + oy) * ow + ox] = max ? acc : acc / (includePad ? padded : Math.max(cells, 1));
    }
  }
  return { shape: [n, c, oh, ow], data: y };
}

function windowPool(op: string, max: boolean): GraphOp {
  const win = (x: readonly number[], c: OpContext): GraphWindow => {
    checkRank4(x, op);
    return windowOf(c, [1, 1], x.slice(2));
  };
  return {
    op,
    attributes: ['kernel_shape', 'strides', 'pads', 'auto_pad', 'ceil_mode', ...(max ? ['dilations', 'storage_order'] : ['count_include_pad'])],
    shapes: ([x], c) => [[x![0], x![1], ...windowShape(win(x!, c), x!.slice(2), ceilMode(c))]],
    run([x], c) {
      const w = win(x!.shape, c);
      return [pool(x!, w, windowShape(w, x!.shape.slice(2), ceilMode(c)), max, intAttr(c.attrs, 'count_include_pad', 0) === 1)];
    },
    reach: ([x], c) => win(x!, c),
  };
}

function globalPool(op: string, max: boolean): GraphOp {
  return {
    op,
    attributes: [],
    shapes: ([x]) => [[x![0], x![1], ...x!.slice(2).map(() => 1)]],
    run([x]) {
      const [n, c] = x!.shape;
      const plane = sizeOf(x!.shape.slice(2));
      const y = new Float32Array(n * c);
      for (let p = 0; p < n * c; p++) {
        let acc = max ? -Infinity : 0;
        for (let i = p * plane; i < (p + 1) * plane; i++) acc = max ? Math.max(acc, x!.data[i]) : acc + x!.data[i];
        y[p] = max ? acc : acc / plane;
      }
      return [{ shape: [n, c, ...x!.shape.slice(2).map(() => 1)], data: y }];
    },
    reach: () => 'all',
  };
}

export const POOL_OPS: GraphOp[] = [
  windowPool('MaxPool', true),
  windowPool('AveragePool', false),
  globalPool('GlobalAveragePool', false),
  globalPool('GlobalMaxPool', true),
];
