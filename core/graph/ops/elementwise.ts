/** Element-wise graph ops: the four arithmetic ops and PRelu with broadcasting, and the one-input activations. */
import type { Tensor } from '../../tensor';
import { floatAttr } from './attrs';
import { binary, broadcastShape } from './broadcast';
import type { GraphOp, OpContext } from './graph-op';

function arithmetic(op: string, f: (x: number, y: number) => number): GraphOp {
  return {
    op,
    attributes: [],
    shapes: ([a, b]) => [broadcastShape(a!, b!)],
    run: ([a, b]) => [binary(a!, b!, f)],
  };
}

/** Add, Sub, Mul, Div with broadcasting; PRelu's slope broadcasts onto its input the same way. */
export const ARITHMETIC_OPS: GraphOp[] = [
  arithmetic('Add', (x, y) => x + y),
  arithmetic('Sub', (x, y) => x - y),
  arithmetic('Mul', (x, y) => x * y),
  arithmetic('Div', (x, y) => x / y),
  { ...arithmetic('PRelu', (x, slope) => (x < 0 ? slope * x : x)), weights: [1] },
];

function unary(op: string, attributes: string[], make: (c: OpContext) => (x: number) => number): GraphOp {
  return {
    op,
    attributes,
    shapes: ([x]) => [[...x!]],
    run([x], c) {
      const f = make(c);
      const out = new Float32Array(x!.data.length);
      const d = x!.data;
      for (let i = 0; i < d.length; i++) out[i] = f(d[i]);
      return [{ shape: [...x!.shape], data: out }];
    },
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Clip's bounds: attributes before opset 11, optional inputs after. */
function clip(): GraphOp {
  const row = unary('Clip', ['min', 'max'], () => (x) => x);
  return {
    ...row,
    run([x, lo, hi], c) {
      const min = lo?.data[0] ?? floatAttr(c.attrs, 'min', -Infinity);
      const max = hi?.data[0] ?? floatAttr(c.attrs, 'max', Infinity);
      const out = new Float32Array(x!.data.length);
      for (let i = 0; i < out.length; i++) out[i] = Math.min(max, Math.max(min, x!.data[i]));
      return [{ shape: [...x!.shape], data: out }];
    },
  };
}

/** Identity and inference-mode Dropout pass their input on (Dropout's optional mask is all ones). */
const passOn = (op: string, attributes: string[]): GraphOp => ({
  op,
  attributes,
  shapes: ([x]) => [[...x!], [...x!]],
  run: ([x]): Tensor[] => [x!, { shape: [...x!.shape], data: new Float32Array(x!.data.length).fill(1) }],
});

export const UNARY_OPS: GraphOp[] = [
  unary('Relu', [], () => (x) => (x > 0 ? x : 0)),
  unary('LeakyRelu', ['alpha'], (c) => { const a = floatAttr(c.attrs, 'alpha', 0.01); return (x) => (x < 0 ? a * x : x); }),
  unary('Sigmoid', [], () => sigmoid),
  unary('Tanh', [], () => Math.tanh),
  unary('HardSigmoid', ['alpha', 'beta'], (c) => {
    const a = floatAttr(c.attrs, 'alpha', 0.2), b = floatAttr(c.attrs, 'beta', 0.5);
    return (x) => Math.max(0, Math.min(1, a * x + b));
  }),
  unary('HardSwish', [], () => (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5))),
  clip(),
  passOn('Identity', []),
  passOn('Dropout', ['seed', 'ratio', 'is_test']),
];
