/**
 * Which kernel conv2d takes for a geometry, with the thresholds that decide it (timed with npm run bench). conv2d
 * dispatches on these routes; a caller that must know the route (core/lab/incremental-stack.ts recomputes a window
 * of a map and needs the window to take the map's kernel) asks here rather than copy the thresholds.
 */
import { conv2dGeometry, conv2dParams, type Conv2dGeometry, type Conv2dOptions, type Conv2dParams } from './conv2d-geometry';
import { forwardWasmRoute } from './conv2d-wasm';
import { SMALL_MAP_POSITIONS } from './conv2d-small-map';
import { WINOGRAD_TILES } from './conv2d-winograd';
import { wasmKernels } from './wasm/kernels';

/** At most this many product rows (output channels forward, input channels for the input gradient): the direct loops. */
const DIRECT_ROWS = 2;
/** Below this many multiply-adds a call takes the tiny loops, whatever its shape. */
const DIRECT_MACS = 4096;
/** Fewest channel pairs (Cin·Cout) for which Winograd's transforms pay for themselves. */
const WINOGRAD_PAIRS = 16;
/** Smallest map side Winograd takes at all. */
const WINOGRAD_SIDE = 4;
/** Smallest map side F(4×4, 3×3) takes; smaller maps take F(2×2, 3×3) (4×4 tiles would waste too much on the edge). */
const WINOGRAD4_SIDE = 7;

/** The kernel a forward pass takes: TypeScript loops, or the WebAssembly ones (conv2d-wasm.ts) when the module runs. */
export type Conv2dRoute = 'tiny' | 'direct' | 'winograd2' | 'winograd4' | 'gemm' | `wasm-${ReturnType<typeof forwardWasmRoute>}`;

/** The kernel an input gradient takes (`wasm`: conv2d-wasm.ts chooses among its own loops). */
export type Conv2dInputGradRoute = 'tiny' | 'wasm' | 'winograd2' | 'winograd4' | 'direct' | 'gemm';

/** The kernel a weight gradient takes (`wasm` as for the input gradient). */
export type Conv2dWeightGradRoute = 'tiny' | 'wasm' | 'direct' | 'gemm';

/** Whether a call is so small that the tiny loops beat any setup. */
export function isTiny(g: Conv2dGeometry): boolean {
  return g.n * g.cout * g.cin * g.kh * g.kw * g.oh * g.ow < DIRECT_MACS;
}

/**
 * Whether a pass takes the direct loops: when the call is tiny, or when the product's output rows (`rows`: Cout
 * for forward and weight gradient, Cin for the input gradient) are so few that im2col would copy each input value
 * more times than the product reuses it.
 */
export function useDirect(g: Conv2dGeometry, rows: number): boolean {
  return rows <= DIRECT_ROWS || isTiny(g);
}

/**
 * The Winograd a 3×3, stride-1, dilation-1 pass takes, given the size of the map it writes (the output forward, the
 * input for the input gradient), or null: F(4×4, 3×3) on maps at least WINOGRAD4_SIDE a side, F(2×2, 3×3) on
 * smaller ones. Below WINOGRAD_PAIRS channel pairs the transforms cost more than the fewer multiply-adds save (each
 * path timed against the others on the same calls).
 */
function winograd(g: Conv2dGeometry, mh: number, mw: number): 'winograd2' | 'winograd4' | null {
  const takes = g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1 &&
    g.cin * g.cout >= WINOGRAD_PAIRS && mh >= WINOGRAD_SIDE && mw >= WINOGRAD_SIDE && !isTiny(g);
  if (!takes) return null;
  return Math.min(mh, mw) >= WINOGRAD4_SIDE ? 'winograd4' : 'winograd2';
}

/** The forward kernel for this geometry: conv2d dispatches on it. */
export function conv2dRoute(g: Conv2dGeometry): Conv2dRoute {
  if (isTiny(g)) return 'tiny';
  if (wasmKernels() !== null) return `wasm-${forwardWasmRoute(g, useDirect(g, g.cout))}`;
  return winograd(g, g.oh, g.ow) ?? (useDirect(g, g.cout) ? 'direct' : 'gemm');
}

/** The input gradient's kernel for this geometry (Winograd only where the padding is at most 2 a side). */
export function conv2dInputGradRoute(g: Conv2dGeometry): Conv2dInputGradRoute {
  if (isTiny(g)) return 'tiny';
  if (wasmKernels() !== null) return 'wasm';
  const wino = g.ph <= 2 && g.pw <= 2 ? winograd(g, g.h, g.w) : null;
  return wino ?? (useDirect(g, g.cin) ? 'direct' : 'gemm');
}

/** The weight gradient's kernel for this geometry. */
export function conv2dWeightGradRoute(g: Conv2dGeometry): Conv2dWeightGradRoute {
  if (isTiny(g)) return 'tiny';
  if (wasmKernels() !== null) return 'wasm';
  return useDirect(g, g.cout) ? 'direct' : 'gemm';
}

/**
 * The kernel a forward pass of these shapes takes. Each kernel sums an output in an order that does not depend on
 * where it sits in the map, so two calls that take the same route agree bit for bit on the outputs they share
 * (core/lab/incremental-stack.ts relies on it to recompute a window of a map).
 */
export function conv2dForwardRoute(xShape: readonly number[], wShape: readonly number[], options: Conv2dOptions | Conv2dParams = {}): Conv2dRoute {
  return conv2dRoute(conv2dGeometry(xShape, wShape, conv2dParams(options)));
}

/** How a window of a forward map, computed on a crop of the input, can repeat the full map's sums bit for bit. */
export interface Conv2dWindowRule {
  /** Windows start and end on multiples of this (the widest Winograd's output tile), so tiles fall where the map's do. */
  tile: number;
  /**
   * Fewest output cells a side: a crop this large stays above the tiny loops' threshold (as a map that is not tiny
   * is) and takes F(4×4) where the map does.
   */
  minSide: number;
  /** False when the forward's loops round each value by its column (the direct loops): no window repeats the map. */
  exact: boolean;
}

/** conv2d's rule for windows of the forward map of OIHW weights `wShape` (one image a call). */
export function conv2dWindowRule(wShape: readonly number[]): Conv2dWindowRule {
  const [cout, cin, kh, kw] = wShape;
  const tile = Math.max(...WINOGRAD_TILES);
  const winogradSide = Math.ceil(WINOGRAD4_SIDE / tile) * tile;
  return {
    tile,
    // A window larger than SMALL_MAP_POSITIONS also keeps it off the dense route a map that small would take.
    minSide: Math.max(winogradSide, Math.ceil(Math.sqrt(DIRECT_MACS / (cout * cin * kh * kw))), Math.floor(Math.sqrt(SMALL_MAP_POSITIONS)) + 1),
    exact: cout > DIRECT_ROWS,
  };
}
