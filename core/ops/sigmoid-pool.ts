/**
 * A sigmoid straight into pooling (LeNet's conv → sigmoid → pool), forward and backward as one op: on the
 * WebAssembly kernels the maps make one trip through the module's memory instead of two each way, and the
 * sigmoid's backward runs on the pooling backward's result before it leaves. The values are the two ops' own:
 * the same kernels in the same order forward, and backward g·y·(1 − y) rounded in float32 (the separate ops
 * round once, in double), within a float32 rounding of each other. Elsewhere the two ops run one after the other.
 */
import { checkRank, type Tensor } from '../tensor';
import { activation, activationBackward } from './activation';
import { floats } from './floats';
import { pool2d, pool2dBackward, pool2dShape, type Pool2dParams } from './pool2d';
import { sigmoidPoolBackwardWasm, sigmoidPoolWasm } from './pool2d-wasm';
import { wasmKernels } from './wasm/kernels';

/** Below this many values the separate ops (whose own thresholds pick their paths) serve. */
const FUSE_FROM = 4096;

const kernelsFor = (values: number) => (values >= FUSE_FROM ? wasmKernels() : null);

/** σ(x) (kept: the backward needs it) and its pooling. */
export function sigmoidPool(x: Tensor, p: Pool2dParams): { y: Tensor; pooled: Tensor } {
  checkRank(x, 4, 'NCHW', 'input');
  const [n, c, oh, ow] = pool2dShape(x.shape, p);
  const k = kernelsFor(x.data.length);
  if (k === null) {
    const y = activation(x, 'sigmoid');
    return { y, pooled: pool2d(y, p) };
  }
  // σ maps a NaN to NaN, which pooling's own check refuses: sigmoidPoolWasm refuses it, as the pair would.
  // Every value is copied out of the module's memory: no zero-fill needed.
  const y = floats(x.data.length, false), pooled = floats(n * c * oh * ow, false);
  sigmoidPoolWasm(k, x.shape, x.data, oh, ow, p, y, pooled);
  return { y: { shape: [...x.shape], data: y }, pooled: { shape: [n, c, oh, ow], data: pooled } };
}

/** The gradient of the sigmoid's input, from its output `y` and the pooled output's gradient. */
export function sigmoidPoolBackward(x: Tensor, y: Tensor, gradOutput: Tensor, p: Pool2dParams): Tensor {
  const k = kernelsFor(y.data.length);
  if (k === null) return activationBackward(x, y, pool2dBackward(y, gradOutput, p), 'sigmoid');
  const [, , oh, ow] = pool2dShape(y.shape, p);
  const gx = floats(y.data.length, false);
  sigmoidPoolBackwardWasm(k, y.shape, y.data, gradOutput.data, oh, ow, p, gx);
  return { shape: [...y.shape], data: gx };
}
