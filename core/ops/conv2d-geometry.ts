/**
 * The geometry of one conv2d call, in one place: the settings (stride, padding, dilation, flip), the sizes worked out
 * from them once, and the part of those sizes that im2col reads. Every conv kernel (direct, panels, Winograd,
 * WebAssembly) takes the same Conv2dGeometry.
 */
import { check } from '../errors';
import { LIMITS } from '../limits';
import { checkPairRange, dilatedExtent, outSize, pairText, toPair, type Pair } from '../geometry';
import { shapeText } from '../tensor';

/** What im2col needs to know about one conv (input channels and size, kernel, stride, padding, dilation, output width). */
export interface PatchGeometry {
  cin: number; h: number; w: number;
  kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  ow: number;
}

/** Sizes of one conv call, worked out once (conv2dGeometry) and shared by forward and backward. */
export interface Conv2dGeometry extends PatchGeometry {
  n: number; cout: number; oh: number;
}

/** Conv settings as callers may give them: a number means both axes. */
export interface Conv2dOptions {
  stride?: number | Pair;
  padding?: number | Pair;
  dilation?: number | Pair;
  /** True convolution: the kernel rotated by 180° before sliding (d2l 5.1.5). Default false (cross-correlation). */
  flip?: boolean;
  /** Grouped convolution (conv2d-groups.ts): the weight is OIHW with I = Cin / groups. Default 1. */
  groups?: number;
}

/** Conv settings with every axis spelled out and checked. */
export interface Conv2dParams {
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  flip: boolean;
}

/** Fills in defaults (stride 1, padding 0, dilation 1, no flip) and checks each setting against its rule. */
export function conv2dParams(o: Conv2dOptions = {}): Conv2dParams {
  const p: Conv2dParams = {
    stride: toPair(o.stride ?? 1, 'stride'),
    padding: toPair(o.padding ?? 0, 'padding'),
    dilation: toPair(o.dilation ?? 1, 'dilation'),
    flip: o.flip ?? false,
  };
  checkPairRange(p.stride, 'stride', 1, LIMITS.maxStride);
  checkPairRange(p.padding, 'padding', 0, LIMITS.maxPadding);
  checkPairRange(p.dilation, 'dilation', 1, LIMITS.maxDilation);
  return p;
}

/**
 * Output size rule for NCHW input `x` and OIHW weight `w`; throws a ConvLabError naming the mismatch
 * (channels, kernel larger than the padded input, limits).
 */
export function conv2dGeometry(x: readonly number[], w: readonly number[], p: Conv2dParams): Conv2dGeometry {
  check(x.length === 4, 'shape', () => `input must be NCHW (rank 4), got shape ${shapeText(x)}`);
  check(w.length === 4, 'shape', () => `weight must be OIHW (rank 4), got shape ${shapeText(w)}`);
  const [n, cin, h, wd] = x;
  const [cout, wcin, kh, kw] = w;
  check(wcin === cin, 'shape', () => `weight expects ${wcin} input channel${wcin === 1 ? '' : 's'} but the input has ${cin}`);
  check(kh <= LIMITS.maxKernelSide && kw <= LIMITS.maxKernelSide, 'limit',
    () => `kernel ${kh}×${kw} is above the limit of ${LIMITS.maxKernelSide}×${LIMITS.maxKernelSide}`);
  // The lab's stack keeps its own, smaller channel limit (core/lab/stack.ts); the book's networks need hundreds.
  check(cout <= LIMITS.maxNetworkChannels && cin <= LIMITS.maxNetworkChannels, 'limit',
    () => `${Math.max(cin, cout)} channels is above the limit of ${LIMITS.maxNetworkChannels}`);
  const [sh, sw] = p.stride, [ph, pw] = p.padding, [dh, dw] = p.dilation;
  const eh = dilatedExtent(kh, dh), ew = dilatedExtent(kw, dw);
  const hp = h + 2 * ph, wp = wd + 2 * pw;
  check(eh <= hp && ew <= wp, 'shape', () => {
    const dil = dh === 1 && dw === 1 ? '' : ` (${eh}×${ew} with dilation ${pairText(p.dilation)})`;
    return `kernel ${kh}×${kw}${dil} is larger than the padded input ${hp}×${wp}`;
  });
  return {
    n, cin, h, w: wd, cout, kh, kw,
    oh: outSize(h, kh, sh, ph, dh), ow: outSize(wd, kw, sw, pw, dw),
    sh, sw, ph, pw, dh, dw,
  };
}

