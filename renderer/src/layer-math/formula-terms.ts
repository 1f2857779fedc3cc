/**
 * The sum behind one output cell, term by term, with the numbers the user sees: Σ x·k + b = y for a convolution,
 * max(…) or mean(…) for pooling, f(x) for an activation. Built from the maps already on screen.
 */
import { flipKernel, type Layer } from '../document/document';

export interface Term {
  x: number;
  k: number;
}
export type Formula =
  | { kind: 'conv'; terms: Term[]; bias: number; y: number }
  | { kind: 'pool'; mode: 'max' | 'avg'; values: number[]; divisor: number; y: number }
  | { kind: 'act'; fn: string; x: number; y: number };

export interface Plane {
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
}

const at = (p: Plane, c: number, y: number, x: number) =>
  y < 0 || y >= p.height || x < 0 || x >= p.width ? 0 : p.data[(c * p.height + y) * p.width + x];

export function formulaFor(layer: Layer, below: Plane, unit: { c: number; y: number; x: number }, y: number): Formula {
  if (layer.kind === 'act') return { kind: 'act', fn: layer.fn, x: at(below, unit.c, unit.y, unit.x), y };
  if (layer.kind === 'pool') {
    const values: number[] = [];
    let real = 0;
    for (let i = 0; i < layer.kernel[0]; i++) {
      for (let j = 0; j < layer.kernel[1]; j++) {
        const yy = unit.y * layer.stride[0] - layer.padding[0] + i;
        const xx = unit.x * layer.stride[1] - layer.padding[1] + j;
        const inside = yy >= 0 && yy < below.height && xx >= 0 && xx < below.width;
        if (inside) real++;
        if (inside || layer.mode === 'avg') values.push(inside ? at(below, unit.c, yy, xx) : 0);
      }
    }
    const divisor = layer.countIncludePad ? layer.kernel[0] * layer.kernel[1] : real;
    return { kind: 'pool', mode: layer.mode, values, divisor, y };
  }
  const [kh, kw] = layer.kernelSize;
  const terms: Term[] = [];
  for (let c = 0; c < layer.inChannels; c++) {
    const start = (unit.c * layer.inChannels + c) * kh * kw;
    const raw = layer.weight.subarray(start, start + kh * kw);
    // Convolution slides the flipped kernel: show the weights that really multiply each cell.
    const kernel = layer.flip ? flipKernel(raw, kh, kw) : raw;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const yy = unit.y * layer.stride[0] - layer.padding[0] + i * layer.dilation[0];
        const xx = unit.x * layer.stride[1] - layer.padding[1] + j * layer.dilation[1];
        terms.push({ x: at(below, c, yy, xx), k: kernel[i * kw + j] });
      }
    }
  }
  return { kind: 'conv', terms, bias: layer.bias[unit.c], y };
}
