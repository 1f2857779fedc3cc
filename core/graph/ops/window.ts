/** The window settings Conv, ConvTranspose and the poolings share: kernel, strides, dilations, pads and auto_pad. */
import { ConvLabError } from '../../errors';
import { intAttr, intsAttr, stringAttr } from './attrs';
import type { GraphWindow, OpContext } from './graph-op';

/** The output side of a window sliding over `size` cells padded by `lo` and `hi` (floor, or ceil_mode's rule). */
export function windowOut(size: number, k: number, s: number, d: number, lo: number, hi: number, ceil: boolean): number {
  const span = size + lo + hi - ((k - 1) * d + 1);
  if (span < 0) throw new ConvLabError('shape', `a ${k}-wide window (dilation ${d}) does not fit a side of ${size} padded by ${lo} and ${hi}`);
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // ceil_mode: the last window must start inside the input or its leading pad (PyTorch's rule, ONNX's since opset 19).
  if (ceil && (out - 1) * s >= size + lo) out--;
  return out;
}

/**
 * The window of a node over an H×W input: its kernel from `kernel` (weights' last dims for Conv), pads from
 * `pads` or auto_pad (SAME_UPPER puts the odd cell at the end, SAME_LOWER at the start).
 */
export function windowOf(c: OpContext, kernel: [number, number], hw: readonly number[]): GraphWindow {
  const k = intsAttr(c.attrs, 'kernel_shape') ?? kernel;
  if (k.length !== 2) throw new ConvLabError('range', `kernel_shape ${k.join('×')}: ConvLab runs 2-D windows only`);
  const stride = intsAttr(c.attrs, 'strides', [1, 1]);
  const dilation = intsAttr(c.attrs, 'dilations', [1, 1]);
  const autoPad = stringAttr(c.attrs, 'auto_pad', 'NOTSET');
  let pads = intsAttr(c.attrs, 'pads', [0, 0, 0, 0]);
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = [0, 0, 0, 0];
    for (let a = 0; a < 2; a++) {
      const out = Math.ceil(hw[a] / stride[a]);
      const total = Math.max(0, (out - 1) * stride[a] + (k[a] - 1) * dilation[a] + 1 - hw[a]);
      const small = Math.floor(total / 2);
      pads[a] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[a + 2] = total - pads[a];
    }
  } else if (autoPad !== 'NOTSET') throw new ConvLabError('range', `auto_pad '${autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
  for (const [name, v] of [['strides', stride], ['dilations', dilation], ['pads', pads]] as const) {
    if (v.length !== (name === 'pads' ? 4 : 2)) throw new ConvLabError('range', `${name} ${v.join(',')}: ConvLab runs 2-D windows only`);
  }
  if (stride.some((s) => s < 1) || dilation.some((d) => d < 1) || pads.some((p) => p < 0)) {
    throw new ConvLabError('range', `strides ${stride.join(',')}, dilations ${dilation.join(',')} and pads ${pads.join(',')} must be positive (pads at least 0)`);
  }
  return { kernel: [k[0], k[1]], stride: [stride[0], stride[1]], dilation: [dilation[0], dilation[1]], pads: [pads[0], pads[1], pads[2], pads[3]] };
}

/** The output H×W of window `w` over `hw`. */
export function windowShape(w: GraphWindow, hw: readonly number[], ceil = false): [number, number] {
  return [0, 1].map((a) => windowOut(hw[a], w.kernel[a], w.stride[a], w.dilation[a], w.pads[a], w.pads[a + 2], ceil)) as [number, number];
}

/** True when the node asks for ceil_mode. */
export const ceilMode = (c: OpContext): boolean => intAttr(c.attrs, 'ceil_mode', 0) === 1;
