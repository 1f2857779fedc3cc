/**
 * A lab stack run again after a small edit of its input (a brush dab): only the window of each map that the edit can
 * reach is computed, the rest is kept from the last run. A 3×3 stack's receptive field is small, so a dab on a 128×128
 * input changes a few hundred cells of each map, not all of them.
 *
 * The result is bit for bit the full run's. Each window is computed by the same conv2d on a crop of the layer's input
 * (explicit zeros standing for the padding), and every kernel sums each output in an order that does not depend on
 * where it sits in the map, provided the crop takes the same kernel as the full map: conv2dForwardRoute says which
 * a shape takes, and a window whose crop would take another is widened to the map's width or the layer runs in full.
 * Windows are also aligned to Winograd's output tiles and kept large enough to take the map's kernel, as
 * conv2dWindowRule says (incremental-stack.test.ts checks all this against full runs on both kernel paths). Stacks
 * with pooling or activations, whose kernels choose their path by size, or with a convolution whose loops round by
 * column (the rule's `exact` is false: conv2d's direct loops), are always run in full.
 */
import { conv2d, conv2dForwardRoute, conv2dWindowRule } from '../ops/conv2d';
import type { Tensor } from '../tensor';
import { checkMap, checkStack, runStack, type CheckedConv, type CheckedLayer } from './stack';
import { applyWindows, changedBox, cutWindows, windowProblem, type ChangedBox, type InputWindow, type LayerChange, type MapWindow } from './map-windows';
import type { LabLayer, MapData, Pair } from './types';

/** Past this share of a map, a window costs about the full pass: the rest of the stack runs in full. */
const MAX_SHARE = 0.5;

const sameBits = (a: Float32Array, b: Float32Array): boolean => {
  if (a.length !== b.length) return false;
  const ia = new Int32Array(a.buffer, a.byteOffset, a.length), ib = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ia.length; i++) if (ia[i] !== ib[i]) return false;
  return true;
};

/** A conv layer's settings as text (its weights are compared apart, bit for bit). */
function settingsOf(spec: LabLayer): string | null {
  if (!('weight' in spec)) return null;
  return JSON.stringify([spec.weight.shape, spec.bias.length, spec.stride, spec.padding, spec.dilation, spec.flip]);
}

/** The output cells of one axis that read any of input cells [lo, hi]: [first, last], clipped to the map. */
function reach(lo: number, hi: number, k: number, s: number, p: number, d: number, out: number): [number, number] {
  return [Math.max(0, Math.ceil((lo + p - (k - 1) * d) / s)), Math.min(out - 1, Math.floor((hi + p) / s))];
}

/** [lo, hi] widened to whole tiles of `tile` cells and to at least `side` cells, within [0, size). */
function widen(lo: number, hi: number, tile: number, side: number, size: number): [number, number] {
  let a = Math.floor(lo / tile) * tile;
  let b = Math.min(size - 1, Math.ceil((hi + 1) / tile) * tile - 1);
  while (b - a + 1 < side && (a > 0 || b < size - 1)) {
    if (b < size - 1) b = Math.min(size - 1, b + tile);
    else a = Math.max(0, a - tile);
  }
  return [a, b];
}

/**
 * Recomputes the window of a conv layer's output `y` that input cells `changed` reach, from its input `x`. Returns the
 * output cells that may have changed (the next layer's `changed`), or null, with nothing written, when the window is
 * too large a share of the map to be worth it.
 */
function convWindow(layer: CheckedLayer, conv: CheckedConv, x: Float32Array, y: Float32Array, changed: ChangedBox): ChangedBox | null {
  const [, cin, h, w] = layer.input;
  const [, cout, oh, ow] = layer.output;
  const [kh, kw] = layer.rf.kernel;
  const { stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] } = conv.params;
  const [ry0, ry1] = reach(changed.y0, changed.y1, kh, sh, ph, dh, oh);
  const [rx0, rx1] = reach(changed.x0, changed.x1, kw, sw, pw, dw, ow);
  if (ry1 < ry0 || rx1 < rx0) return { y0: 0, y1: -1, x0: 0, x1: -1 };
  // Whole tiles, and large enough that the crop takes the map's kernel (conv2d's rule, not a copy of its thresholds).
  const { tile, minSide } = conv2dWindowRule(conv.weight.shape);
  const [oy0, oy1] = widen(ry0, ry1, tile, minSide, oh);
  let [ox0, ox1] = widen(rx0, rx1, tile, minSide, ow);
  const options = { stride: [sh, sw] as Pair, padding: [0, 0] as Pair, dilation: [dh, dw] as Pair, flip: conv.params.flip };
  const cropShape = (rows: number, cols: number) => [1, cin, (rows - 1) * sh + (kh - 1) * dh + 1, (cols - 1) * sw + (kw - 1) * dw + 1];
  // The crop must take the full map's kernel, whose sums it then repeats bit for bit. Some kernels choose by the
  // map's width: a window as wide as the map (a strip of rows) takes theirs.
  const route = conv2dForwardRoute(layer.input, conv.weight.shape, conv.params);
  if (conv2dForwardRoute(cropShape(oy1 - oy0 + 1, ox1 - ox0 + 1), conv.weight.shape, options) !== route) [ox0, ox1] = [0, ow - 1];
  const rows = oy1 - oy0 + 1, cols = ox1 - ox0 + 1;
  if (rows * cols > MAX_SHARE * oh * ow) return null;
  if (conv2dForwardRoute(cropShape(rows, cols), conv.weight.shape, options) !== route) return null;
  // The crop of the input that window reads, with zeros where it reaches past the map (the padding).
  const iy0 = oy0 * sh - ph, ix0 = ox0 * sw - pw;
  const [, , ch, cw] = cropShape(rows, cols);
  const crop = new Float32Array(cin * ch * cw);
  for (let c = 0; c < cin; c++) {
    for (let r = Math.max(0, -iy0); r < ch && iy0 + r < h; r++) {
      const from = Math.max(0, -ix0), to = Math.min(cw, w - ix0);
      if (to <= from) continue;
      const src = (c * h + iy0 + r) * w + ix0;
      crop.set(x.subarray(src + from, src + to), (c * ch + r) * cw + from);
    }
  }
  const part = conv2d({ shape: [1, cin, ch, cw], data: crop }, conv.weight, conv.bias, options);
  for (let c = 0; c < cout; c++) {
    for (let r = 0; r < rows; r++) y.set(part.data.subarray((c * rows + r) * cols, (c * rows + r + 1) * cols), (c * oh + oy0 + r) * ow + ox0);
  }
  return { y0: ry0, y1: ry1, x0: rx0, x1: rx1 };
}

export interface StackCache {
  /** runStack's answer for this input and stack: from the last run's maps where the input changed little. */
  run(input: MapData, layers: LabLayer[]): { outputs: MapData[]; incremental: boolean };
  /**
   * The same run, answered as the windows that changed since the maps of state `since` (the last answer's `state`),
   * or as every map when the maps of `since` are not the ones this cache last answered. The input may be sent as the
   * window of it that changed since the input of state `since`; if that is not this cache's last input, the answer is
   * `since: null` with nothing in it (stale: ask again with the whole input). A window outside the input throws.
   */
  windows(input: MapData | InputWindow, layers: LabLayer[], since: string | null): WindowsAnswer;
}

/** A run's maps as windows (map-windows.ts) to patch into the maps of state `since`, or whole (`outputs`). */
export interface WindowsAnswer {
  /** Names these maps for the next request's `since`; null when they were not kept (the next answer is whole). */
  state: string | null;
  /** The state whose maps the windows patch; null when the answer is whole. */
  since: string | null;
  /** Every map, when there is nothing to patch; null when the answer is windows. */
  outputs: MapData[] | null;
  /** The changed windows (none when nothing changed); empty when the answer is whole. */
  windows: MapWindow[];
}

/** Most map values kept between runs (16 MB): a larger stack runs in full each time rather than double its memory. */
const MAX_KEPT_VALUES = 4 * 1024 * 1024;

/**
 * Keeps the last input, stack and maps; each run compares against them. The maps it answers are copies of its own,
 * free for the caller to keep or transfer. Stacks whose maps hold more than `maxKeptValues` values are not kept.
 * `name` starts every state this cache names (states of two caches, such as two workers', never match).
 */
export function createStackCache(maxKeptValues = MAX_KEPT_VALUES, name = ''): StackCache {
  let last: { input: Float32Array; shape: readonly number[]; settings: (string | null)[]; weights: Float32Array[]; biases: Float32Array[]; outputs: MapData[] } | null = null;
  /** Counts runs: the state of the kept maps is `name` and the run that made them. */
  let runs = 0;

  function remember(input: MapData, layers: LabLayer[], outputs: MapData[]): void {
    last = {
      input: input.data.slice(),
      shape: [...input.shape],
      settings: layers.map(settingsOf),
      weights: layers.map((l) => ('weight' in l ? l.weight.data.slice() : new Float32Array(0))),
      biases: layers.map((l) => ('weight' in l ? l.bias.slice() : new Float32Array(0))),
      outputs,
    };
  }

  /** Whether `layers` is the remembered stack (same settings, same weights bit for bit) and all convolutions. */
  function sameStack(layers: LabLayer[]): boolean {
    if (!last || layers.length !== last.settings.length || layers.length === 0) return false;
    return layers.every((l, i) => {
      if (!('weight' in l) || !conv2dWindowRule(l.weight.shape).exact || settingsOf(l) !== last!.settings[i]) return false;
      // A bias of −0 could turn into +0 where a crop adds an explicit zero the full map's padding skipped.
      if (l.bias.some((b) => Object.is(b, -0))) return false;
      return sameBits(l.weight.data, last!.weights[i]) && sameBits(l.bias, last!.biases[i]);
    });
  }

  const copies = (outputs: MapData[]): MapData[] => outputs.map((m) => ({ shape: [...m.shape] as MapData['shape'], data: m.data.slice() }));

  /**
   * The run itself: the maps (the kept ones, not copies, when `kept`), whether any were patched rather than run in
   * full (`incremental`), and per map what changed since the last run (meaningful only when `fromLast`: the last
   * run's maps, of the same stack, were the starting point).
   */
  function compute(input: MapData, layers: LabLayer[]): { outputs: MapData[]; kept: boolean; incremental: boolean; fromLast: boolean; changes: LayerChange[] } {
    // The same checks and the same messages as a full run, whichever way the maps are then computed.
    checkMap(input);
    const checked = checkStack(input.shape, layers);
    const [, c, h, w] = input.shape;
    if (!last || !sameStack(layers) || last.shape.some((d, i) => d !== input.shape[i])) {
      const { outputs } = runStack(input, layers);
      const changes = outputs.map((): LayerChange => 'all');
      if (outputs.reduce((sum, m) => sum + m.data.length, 0) > maxKeptValues) {
        last = null;
        return { outputs, kept: false, incremental: false, fromLast: false, changes };
      }
      remember(input, layers, outputs);
      return { outputs, kept: true, incremental: false, fromLast: false, changes };
    }
    const changes: LayerChange[] = [];
    let changed: ChangedBox | null = changedBox(last.input, input.data, c, h, w);
    last.input.set(input.data);
    let x = input.data;
    for (let i = 0; i < checked.length; i++) {
      const layer = checked[i];
      const y = last.outputs[i].data;
      if (changed && changed.y1 >= changed.y0 && layer.conv) changed = convWindow(layer, layer.conv, x, y, changed);
      if (changed === null) {
        // Too much changed: this layer and the rest in full (same kernels, same answer).
        let t: Tensor = { shape: layer.input, data: x };
        for (let j = i; j < checked.length; j++) {
          const l = checked[j];
          t = l.forward(t);
          last.outputs[j] = { shape: l.output, data: t.data };
          changes.push('all');
        }
        return { outputs: last.outputs, kept: true, incremental: i > 0, fromLast: true, changes };
      }
      changes.push({ ...changed });
      x = y;
    }
    return { outputs: last.outputs, kept: true, incremental: true, fromLast: true, changes };
  }

  return {
    run(input, layers) {
      const { outputs, kept, incremental } = compute(input, layers);
      runs++;
      return { outputs: kept ? copies(outputs) : outputs, incremental };
    },
    windows(sent, layers, since) {
      const before = last ? `${name}${runs}` : null;
      let input: MapData;
      if ('height' in sent) {
        if (!last || since === null || since !== before || last.shape.some((d, i) => d !== sent.shape[i])) return { state: before, since: null, outputs: null, windows: [] };
        const problem = windowProblem([{ shape: sent.shape, data: last.input }], { layer: 0, ...sent });
        if (problem) throw new Error(`the input's window does not fit it: ${problem}`);
        const data = last.input.slice();
        applyWindows([{ shape: sent.shape, data }], [{ layer: 0, ...sent }]);
        input = { shape: sent.shape, data };
      } else {
        input = sent;
      }
      const { outputs, kept, fromLast, changes } = compute(input, layers);
      runs++;
      const state = kept ? `${name}${runs}` : null;
      // Windows only patch maps of the same stack that the asker holds: the ones this cache answered last.
      if (!kept || !fromLast || since === null || since !== before) return { state, since: null, outputs: kept ? copies(outputs) : outputs, windows: [] };
      return { state, since, outputs: null, windows: cutWindows(outputs, changes) };
    },
  };
}
