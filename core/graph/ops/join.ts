/** Ops that cut or join along one axis (Concat, Split, Slice) and ReduceMean. */
import { ConvLabError } from '../../errors';
import { sizeOf, type Tensor } from '../../tensor';
import { constInts, intAttr, intsAttr, normAxis } from './attrs';
import type { GraphOp, OpContext } from './graph-op';

/** Copies of `x`'s blocks along `axis`: for each outer index, `len` slices of `inner` values from `from`. */
function take(x: Tensor, axis: number, ranges: { from: number; len: number; step: number }): Tensor {
  const s = x.shape;
  const outer = sizeOf(s.slice(0, axis)), inner = sizeOf(s.slice(axis + 1));
  const out = new Float32Array(outer * ranges.len * inner);
  for (let o = 0; o < outer; o++) for (let k = 0; k < ranges.len; k++) {
    const src = (o * s[axis] + ranges.from + k * ranges.step) * inner;
    out.set(x.data.subarray(src, src + inner), (o * ranges.len + k) * inner);
  }
  return { shape: s.map((d, i) => (i === axis ? ranges.len : d)), data: out };
}

function concatShape(ins: readonly (readonly number[] | undefined)[], c: OpContext): number[] {
  const first = ins[0]!;
  const axis = normAxis(intAttr(c.attrs, 'axis', 1), first.length);
  for (const s of ins) {
    if (s!.length !== first.length || s!.some((d, i) => i !== axis && d !== first[i])) throw new ConvLabError('shape', `Concat on axis ${axis}: ${ins.map((t) => t!.join('×')).join(' and ')} differ off that axis`);
  }
  return first.map((d, i) => (i === axis ? ins.reduce((n, s) => n + s![axis], 0) : d));
}

function splitSizes(x: readonly number[], c: OpContext, given: Tensor | undefined, outputs: number): { axis: number; sizes: number[] } {
  const axis = normAxis(intAttr(c.attrs, 'axis', 0), x.length);
  const sizes = given !== undefined ? constInts(given, "Split's sizes") : intsAttr(c.attrs, 'split') ?? (() => {
    const each = Math.ceil(x[axis] / outputs);
    return Array.from({ length: outputs }, (_, i) => Math.min(each, x[axis] - i * each));
  })();
  if (sizes.reduce((a, b) => a + b, 0) !== x[axis] || sizes.some((n) => n < 0)) throw new ConvLabError('shape', `Split sizes ${sizes.join(',')} do not add up to axis ${axis}'s ${x[axis]}`);
  return { axis, sizes };
}

/** Slice's ranges per axis: starts and ends clamped as ONNX says, negative steps walking backwards. */
function sliceRanges(x: readonly number[], c: OpContext, consts: readonly (Tensor | undefined)[]): { axis: number; from: number; len: number; step: number }[] {
  const [, st, en, ax, sp] = consts;
  const starts = st !== undefined ? constInts(st, "Slice's starts") : intsAttr(c.attrs, 'starts', []);
  const ends = en !== undefined ? constInts(en, "Slice's ends") : intsAttr(c.attrs, 'ends', []);
  const axes = ax !== undefined ? constInts(ax, "Slice's axes") : intsAttr(c.attrs, 'axes') ?? starts.map((_, i) => i);
  const steps = sp !== undefined ? constInts(sp, "Slice's steps") : starts.map(() => 1);
  return axes.map((a0, i) => {
    const axis = normAxis(a0, x.length), n = x[axis], step = steps[i];
    if (step === 0) throw new ConvLabError('range', 'Slice step 0 never moves');
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v < 0 ? v + n : v));
    const from = step > 0 ? clamp(starts[i], 0, n) : clamp(starts[i], -1, n - 1);
    const to = step > 0 ? clamp(ends[i], 0, n) : clamp(ends[i], -1, n - 1);
    const len = Math.max(0, Math.ceil((to - from) / step));
    return { axis, from, len, step };
  });
}

function reduceAxes(x: readonly number[], c: OpContext, given: Tensor | undefined): number[] {
  const axes = given !== undefined ? constInts(given, "ReduceMean's axes") : intsAttr(c.attrs, 'axes') ?? x.map((_, i) => i);
  return axes.map((a) => normAxis(a, x.length));
}

export const JOIN_OPS: GraphOp[] = [
  {
    op: 'Concat', attributes: ['axis'],
    shapes: (ins, c) => [concatShape(ins, c)],
    run(ins, c) {
      const shape = concatShape(ins.map((t) => t!.shape), c);
      const axis = normAxis(intAttr(c.attrs, 'axis', 1), shape.length);
      const outer = sizeOf(shape.slice(0, axis)), inner = sizeOf(shape.slice(axis + 1));
      const out = new Float32Array(sizeOf(shape));
      let at = 0;
      for (const t of ins) {
        const block = t!.shape[axis] * inner;
        for (let o = 0; o < outer; o++) out.set(t!.data.subarray(o * block, (o + 1) * block), o * shape[axis] * inner + at);
        at += block;
      }
      return [{ shape, data: out }];
    },
  },
  {
    op: 'Split', attributes: ['axis', 'split', 'num_outputs'],
    // The number of outputs is the node's; shapes() learns it from num_outputs or the sizes.
    shapes([x], c, [, s]) {
      const { axis, sizes } = splitSizes(x!, c, s, intAttr(c.attrs, 'num_outputs', c.outputs));
      return sizes.map((n) => x!.map((d, i) => (i === axis ? n : d)));
    },
    run([x, s], c) {
      const { axis, sizes } = splitSizes(x!.shape, c, s, intAttr(c.attrs, 'num_outputs', c.outputs));
      let from = 0;
      return sizes.map((len) => { const t = take(x!, axis, { from, len, step: 1 }); from += len; return t; });
    },
  },
  {
    op: 'Slice', attributes: ['starts', 'ends', 'axes'],
    shapes([x], c, consts) {
      const out = [...x!];
      for (const r of sliceRanges(x!, c, consts)) out[r.axis] = r.len;
      return [out];
    },
    run(ins, c) {
      let t = ins[0]!;
      for (const r of sliceRanges(t.shape, c, ins)) t = take(t, r.axis, r);
      return [t];
    },
    reach: () => 'all',
  },
  {
    op: 'ReduceMean', attributes: ['axes', 'keepdims', 'noop_with_empty_axes'],
    shapes([x], c, [, a]) {
      const axes = reduceAxes(x!, c, a), keep = intAttr(c.attrs, 'keepdims', 1) === 1;
      return [x!.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]))];
    },
    run([x, a], c) {
      const s = x!.shape;
      const axes = reduceAxes(s, c, a), keep = intAttr(c.attrs, 'keepdims', 1) === 1;
      const kept = s.map((d, i) => (axes.includes(i) ? 1 : d));
      const out = new Float32Array(sizeOf(kept));
      const count = sizeOf(axes.map((i) => s[i]));
      const idx = new Array<number>(s.length).fill(0);
      for (let i = 0; i < x!.data.length; i++) {
        let at = 0;
        for (let d = 0; d < s.length; d++) at = at * kept[d] + (axes.includes(d) ? 0 : idx[d]);
        out[at] += x!.data[i] / count;
        for (let d = s.length - 1; d >= 0; d--) { if (++idx[d] < s[d]) break; idx[d] = 0; }
      }
      return [{ shape: keep ? kept : s.filter((_, i) => !axes.includes(i)), data: out }];
    },
    reach: () => 'all',
  },
];
