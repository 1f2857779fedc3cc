/** Pad (constant, reflect, edge) on any rank, and the zero padding Conv uses for asymmetric pads. */
import { ConvLabError } from '../../errors';
import { sizeOf, type Tensor } from '../../tensor';
import { constInts, floatAttr, intsAttr, stringAttr, stridesOf } from './attrs';
import type { GraphOp, OpContext } from './graph-op';

type Mode = 'constant' | 'reflect' | 'edge';

/** The source index along one axis of size `n` for padded position `i` (−1: the constant). */
function source(i: number, n: number, mode: Mode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return i < 0 ? 0 : n - 1;
  const period = 2 * (n - 1);
  if (period === 0) return 0;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

/** `x` padded by `pads` (begins of every axis, then ends; negative pads crop). */
function padTensor(x: Tensor, pads: readonly number[], mode: Mode, value: number): Tensor {
  const r = x.shape.length;
  const shape = x.shape.map((d, a) => d + pads[a] + pads[a + r]);
  if (shape.some((d) => d < 0)) throw new ConvLabError('shape', `pads ${pads.join(',')} leave a negative side of ${x.shape.join('×')}`);
  if (mode === 'reflect' && x.shape.some((d, a) => pads[a] >= d || pads[a + r] >= d)) throw new ConvLabError('range', `reflect pads ${pads.join(',')} must be smaller than the sides of ${x.shape.join('×')}`);
  const out = new Float32Array(sizeOf(shape));
  const inStrides = stridesOf(x.shape);
  const idx = new Array<number>(r).fill(0);
  for (let i = 0; i < out.length; i++) {
    let at = 0;
    for (let a = 0; a < r && at >= 0; a++) {
      const s = source(idx[a] - pads[a], x.shape[a], mode);
      at = s < 0 ? -1 : at + s * inStrides[a];
    }
    out[i] = at < 0 ? value : x.data[at];
    for (let a = r - 1; a >= 0; a--) { if (++idx[a] < shape[a]) break; idx[a] = 0; }
  }
  return { shape, data: out };
}

/** `x` with zeros added: `pads` as Pad's begins-then-ends. */
export const zeroPad = (x: Tensor, pads: readonly number[]): Tensor => padTensor(x, pads, 'constant', 0);

function padsOf(c: OpContext, x: readonly number[], p: Tensor | undefined, axes: Tensor | undefined): number[] {
  let pads = p !== undefined ? constInts(p, "Pad's pads") : intsAttr(c.attrs, 'pads', []);
  if (axes !== undefined) {
    const ax = constInts(axes, "Pad's axes").map((a) => (a < 0 ? a + x.length : a));
    const full = new Array<number>(2 * x.length).fill(0);
    ax.forEach((a, i) => { full[a] = pads[i]; full[a + x.length] = pads[i + ax.length]; });
    pads = full;
  }
  if (pads.length !== 2 * x.length) throw new ConvLabError('shape', `pads ${pads.join(',')} need 2 values per axis of ${x.join('×')}`);
  return pads;
}

function modeOf(c: OpContext): Mode {
  const mode = stringAttr(c.attrs, 'mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge') throw new ConvLabError('range', `Pad mode '${mode}' is not one of constant, reflect, edge`);
  return mode;
}

export const padOp: GraphOp = {
  op: 'Pad',
  attributes: ['mode', 'pads', 'value'],
  shapes([x], c, [, p, , axes]) {
    const pads = padsOf(c, x!, p, axes);
    return [x!.map((d, a) => d + pads[a] + pads[a + x!.length])];
  },
  run([x, p, v, axes], c) {
    return [padTensor(x!, padsOf(c, x!.shape, p, axes), modeOf(c), v?.data[0] ?? floatAttr(c.attrs, 'value', 0))];
  },
  reach([x], c) {
    const pads = intsAttr(c.attrs, 'pads') ?? [];
    const r = x!.length;
    // A spatial pad is a 1×1 window shifted by the leading pads.
    return r === 4 && pads.length === 8 ? { kernel: [1, 1], stride: [1, 1], dilation: [1, 1], pads: [pads[2], pads[3], pads[6], pads[7]] } : 'same';
  },
};
