/**
 * Receptive-field arithmetic after Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural
 * Networks" (Distill, 2019), per axis, and the boxes a chosen unit reads in every earlier map.
 */
import { dilatedExtent, type Pair } from './geometry';

/** One layer as the arithmetic sees it (activations are kernel 1, stride 1, padding 0, dilation 1). */
export interface RfLayer {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
}

/** Field of the units after a prefix of the stack, per axis [height, width]. */
export interface RfInfo {
  /** r: input pixels one unit spans. */
  size: Pair;
  /** j: input pixels between neighbouring units (the product of strides). */
  jump: Pair;
  /** u: first input index unit 0 sees; negative where padding reaches outside the image. */
  start: Pair;
  /** u + (r − 1)/2: centre of unit 0's field. */
  center: Pair;
  /** −u: padding the whole prefix behaves as if applied once to the input. */
  effectivePadding: Pair;
}

/** Inclusive rectangle of map cells; empty when bottom < top or right < left (the window holds only padding). */
export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The box that reads nothing. */
export const EMPTY_BOX: Box = { top: 0, left: 0, bottom: -1, right: -1 };

/** True when the box holds no cell. */
export function isEmptyBox(b: Box): boolean {
  return b.bottom < b.top || b.right < b.left;
}

/** The field of the input itself: each pixel sees itself (r₀ = j₀ = 1, u₀ = 0). */
export const INPUT_FIELD: RfInfo = { size: [1, 1], jump: [1, 1], start: [0, 0], center: [0, 0], effectivePadding: [0, 0] };

function fieldOf(size: Pair, jump: Pair, start: Pair): RfInfo {
  return {
    size, jump, start,
    center: [start[0] + (size[0] - 1) / 2, start[1] + (size[1] - 1) / 2],
    effectivePadding: [-start[0], -start[1]],
  };
}

/**
 * One layer's step, for each axis (k' = d(k−1)+1):
 * r_l = r_{l−1} + (k'_l − 1)·j_{l−1};  j_l = j_{l−1}·s_l;  u_l = u_{l−1} − p_l·j_{l−1}.
 */
export function nextField(f: RfInfo, l: RfLayer): RfInfo {
  const r: Pair = [0, 0], j: Pair = [0, 0], u: Pair = [0, 0];
  for (let a = 0; a < 2; a++) {
    r[a] = f.size[a] + (dilatedExtent(l.kernel[a], l.dilation[a]) - 1) * f.jump[a];
    j[a] = f.jump[a] * l.stride[a];
    u[a] = f.start[a] - l.padding[a] * f.jump[a];
  }
  return fieldOf(r, j, u);
}

/**
 * Where paths join (a concat or an add), a unit reads the union of what its inputs read. Per axis that is the
 * hull of the inputs' intervals for unit 0: from the smallest start to the largest end. Joined maps have the same
 * size, so their jumps agree in every network the book builds; where they do not, the largest jump is kept.
 */
export function unionField(fields: readonly RfInfo[]): RfInfo {
  const r: Pair = [0, 0], j: Pair = [0, 0], u: Pair = [0, 0];
  for (let a = 0; a < 2; a++) {
    const start = Math.min(...fields.map((f) => f.start[a]));
    const end = Math.max(...fields.map((f) => f.start[a] + f.size[a] - 1));
    u[a] = start;
    r[a] = end - start + 1;
    j[a] = Math.max(...fields.map((f) => f.jump[a]));
  }
  return fieldOf(r, j, u);
}

/**
 * Per-layer recurrences from the input (r₀ = j₀ = 1, u₀ = 0), one `nextField` per layer.
 * Returns one entry per layer: the field after layers[0..l].
 * Two 3×3 convolutions → size 5, jump 1, start 0.
 */
export function receptiveFields(layers: readonly RfLayer[]): RfInfo[] {
  let f = INPUT_FIELD;
  return layers.map((l) => (f = nextField(f, l)));
}

/** Unit (y, x)'s field in the input by the formula, unclipped: [u + i·j, u + i·j + r − 1] per axis. */
export function analyticBox(f: RfInfo, y: number, x: number): Box {
  const top = f.start[0] + y * f.jump[0], left = f.start[1] + x * f.jump[1];
  return { top, left, bottom: top + f.size[0] - 1, right: left + f.size[1] - 1 };
}

/** `b` clipped to an h×w map (EMPTY_BOX if nothing is left). */
export function clipBox(b: Box, h: number, w: number): Box {
  const c = { top: Math.max(b.top, 0), left: Math.max(b.left, 0), bottom: Math.min(b.bottom, h - 1), right: Math.min(b.right, w - 1) };
  return isEmptyBox(c) ? EMPTY_BOX : c;
}

/**
 * The cells unit (y, x) of the output of layers[last] really reads, in every earlier map: its window is walked
 * down one layer at a time and clipped to each map, so cells a floor-mode layer never reads (AlexNet conv1 and
 * row 223) stay outside. `mapSizes[i]` is the [h, w] of the input of layers[i]. Returns boxes[0..last]:
 * boxes[i] lies in the input of layers[i] (boxes[0] in the image, boxes[last] the kernel-sized window).
 */
export function walkedBoxes(layers: readonly RfLayer[], mapSizes: readonly Pair[], last: number, y: number, x: number): Box[] {
  const boxes: Box[] = new Array<Box>(last + 1);
  let b: Box = { top: y, left: x, bottom: y, right: x };
  for (let i = last; i >= 0; i--) {
    const l = layers[i];
    if (!isEmptyBox(b)) {
      b = clipBox({
        top: b.top * l.stride[0] - l.padding[0],
        left: b.left * l.stride[1] - l.padding[1],
        bottom: b.bottom * l.stride[0] - l.padding[0] + dilatedExtent(l.kernel[0], l.dilation[0]) - 1,
        right: b.right * l.stride[1] - l.padding[1] + dilatedExtent(l.kernel[1], l.dilation[1]) - 1,
      }, mapSizes[i][0], mapSizes[i][1]);
    }
    boxes[i] = b;
  }
  return boxes;
}
