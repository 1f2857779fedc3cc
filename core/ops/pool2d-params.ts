/** The settings of a 2-D pooling (kernel, stride, padding per axis) and the output size they give, checked against their rules. */
import { check } from '../errors';
import { LIMITS } from '../limits';
import { checkPairRange, outSize, toPair, type Pair } from '../geometry';
import { shapeText } from '../tensor';

export type PoolMode = 'max' | 'avg';

/** Pool settings as callers give them; stride defaults to the kernel (the book's framework does the same). */
export interface Pool2dOptions {
  mode: PoolMode;
  kernel: number | Pair;
  stride?: number | Pair;
  padding?: number | Pair;
  /** Average pooling divides by kh·kw, counting padded cells (true, MXNet's default and the book's) or only real cells. */
  countIncludePad?: boolean;
}

/** Pool settings with every axis spelled out and checked. */
export interface Pool2dParams {
  mode: PoolMode;
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  countIncludePad: boolean;
}

/**
 * Fills in defaults and checks each setting. Padding wider than half the kernel is allowed (MXNet allows it, the
 * book's MaxPool2D((2,3), padding=(1,2)) needs it); padding as wide as the kernel is not, since a window could
 * then hold only padding and have no maximum.
 */
export function pool2dParams(o: Pool2dOptions | Pool2dParams): Pool2dParams {
  check(o.mode === 'max' || o.mode === 'avg', 'range', () => `pooling mode must be 'max' or 'avg', got '${String(o.mode)}'`);
  const kernel = toPair(o.kernel, 'kernel');
  const p: Pool2dParams = {
    mode: o.mode,
    kernel,
    stride: toPair(o.stride ?? kernel, 'stride'),
    padding: toPair(o.padding ?? 0, 'padding'),
    countIncludePad: o.countIncludePad ?? true,
  };
  checkPairRange(p.kernel, 'kernel size', 1, LIMITS.maxKernelSide);
  checkPairRange(p.stride, 'stride', 1, LIMITS.maxStride);
  checkPairRange(p.padding, 'padding', 0, LIMITS.maxPadding);
  for (let a = 0; a < 2; a++) {
    check(p.padding[a] < p.kernel[a], 'range',
      () => `pool padding ${p.padding[a]} must be smaller than the kernel ${a === 0 ? 'height' : 'width'} ${p.kernel[a]}, or a window would hold only padding`);
  }
  return p;
}

/** Output shape of pooling an NCHW `x`; throws when the kernel is larger than the padded input. */
export function pool2dShape(x: readonly number[], p: Pool2dParams): [number, number, number, number] {
  check(x.length === 4, 'shape', () => `input must be NCHW (rank 4), got shape ${shapeText(x)}`);
  const [n, c, h, w] = x;
  const [kh, kw] = p.kernel, [ph, pw] = p.padding, [sh, sw] = p.stride;
  check(kh <= h + 2 * ph && kw <= w + 2 * pw, 'shape',
    () => `pool kernel ${kh}×${kw} is larger than the padded input ${h + 2 * ph}×${w + 2 * pw}`);
  return [n, c, outSize(h, kh, sh, ph, 1), outSize(w, kw, sw, pw, 1)];
}
